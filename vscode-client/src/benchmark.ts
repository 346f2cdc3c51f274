/**
 * `mindgap.benchmarkKeystrokes`: what the extension adds to a keystroke, measured inside the
 * extension host on a 10,000-line Python file. Each keystroke is a real edit of an open
 * editor; timed are the extension's change listener (classification included) and its
 * handling of the diagnostics the server publishes after each change (region index,
 * decorations, CodeLens refresh). The whole edit round trip is printed for scale.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import * as vscode from "vscode";

export interface BenchmarkOptions {
  lines?: number;
  keystrokes?: number;
  output?: string;
}

export interface Timings {
  count: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export interface BenchmarkHooks {
  startMeasuring(): void;
  stopMeasuring(): { handler: number[]; diagnostics: number[] };
  activationMilliseconds: number;
}

export function summarize(values: number[]): Timings {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { count: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted[sorted.length - 1] ?? 0), mean: round(mean) };
}

export async function benchmarkKeystrokes(hooks: BenchmarkHooks, options: BenchmarkOptions = {}): Promise<Record<string, unknown>> {
  const lines = options.lines ?? 10_000;
  const keystrokes = options.keystrokes ?? 300;
  const folder = mkdtempSync(join(tmpdir(), "mindgap-bench-"));
  const path = join(folder, "big_module.py");
  const body: string[] = [];
  for (let i = 0; body.length < lines; i++) {
    body.push(`def function_${i}(value):`, `    """Return value plus ${i}."""`, `    total = value + ${i}`, `    return total`, "");
  }
  writeFileSync(path, body.slice(0, lines).join("\n") + "\n");
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  const editor = await vscode.window.showTextDocument(document);
  const line = Math.floor(lines / 2);
  const roundTrips: number[] = [];
  const type = async (count: number, record: boolean) => {
    for (let i = 0; i < count; i++) {
      const where = new vscode.Position(line, editor.document.lineAt(line).text.length);
      const started = performance.now();
      await editor.edit((edit) => edit.insert(where, "x"), { undoStopBefore: false, undoStopAfter: false });
      if (record) roundTrips.push(performance.now() - started);
    }
  };
  await type(20, false); // warm up: JIT, the server's first parse
  hooks.startMeasuring();
  await type(keystrokes, true);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // diagnostics of the last keys
  const measured = hooks.stopMeasuring();
  const perKeystroke = measured.handler.map((t, i) => t + (measured.diagnostics[i] ?? 0));
  const result = {
    lines: editor.document.lineCount,
    keystrokes,
    changeListenerMs: summarize(measured.handler),
    diagnosticsHandlingMs: summarize(measured.diagnostics),
    addedPerKeystrokeMs: summarize(perKeystroke),
    editRoundTripMs: summarize(roundTrips),
    activationMs: Math.round(hooks.activationMilliseconds * 10) / 10,
  };
  await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  if (options.output) writeFileSync(options.output, JSON.stringify(result, null, 1));
  return result;
}
