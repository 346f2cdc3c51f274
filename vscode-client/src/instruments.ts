/**
 * What tests and benchmarks look through, and nothing else uses: the keystroke benchmark's
 * hooks (`mindgap.benchmarkKeystrokes`, bench/bench_extension.py) and the snapshot the test
 * probe writes (MINDGAP_VSCODE_PROBE, tests/e2e/vscode). Both cost nothing when unused.
 */
import { performance } from "node:perf_hooks";
import * as vscode from "vscode";
import { benchmarkKeystrokes, BenchmarkOptions } from "./benchmark";
import { configuration } from "./common/settings";
import type { MindgapExtension } from "./extension";

/** Times the handling of the server's diagnostics while the benchmark measures. */
export class DiagnosticsMeter {
  measuring = false;
  readonly times: number[] = [];

  time(handle: () => void): void {
    const started = performance.now();
    handle();
    if (this.measuring) this.times.push(performance.now() - started);
  }
}

export async function runKeystrokeBenchmark(extension: MindgapExtension, options?: BenchmarkOptions): Promise<Record<string, unknown>> {
  await extension.server.settled();
  // run from the palette (bench/bench_extension.py), the options come from the environment
  const environment = process.env;
  const output = options?.output ?? environment.MINDGAP_VSCODE_BENCH_OUTPUT;
  const keystrokes = options?.keystrokes ?? (Number(environment.MINDGAP_VSCODE_BENCH_KEYSTROKES) || undefined);
  const lines = options?.lines ?? (Number(environment.MINDGAP_VSCODE_BENCH_LINES) || undefined);
  const meter = extension.diagnosticsMeter;
  const result = await benchmarkKeystrokes(
    {
      activationMilliseconds: extension.activationMilliseconds,
      startMeasuring: () => {
        meter.measuring = true;
        meter.times.length = 0;
        const tracker = extension.tracker;
        if (tracker) {
          tracker.measuring = true;
          tracker.handlerTimes.length = 0;
        }
      },
      stopMeasuring: () => {
        meter.measuring = false;
        const tracker = extension.tracker;
        if (tracker) tracker.measuring = false;
        return { handler: [...(tracker?.handlerTimes ?? [])], diagnostics: [...meter.times] };
      },
    },
    { output, keystrokes, lines },
  );
  extension.output.appendLine(`benchmark: ${JSON.stringify(result)}`);
  void vscode.window.showInformationMessage(`mindgap: ${JSON.stringify(result.addedPerKeystrokeMs)} ms added per keystroke`);
  return result;
}

/** What the extension shows, as the probe writes it for the end-to-end test. */
export function snapshot(extension: MindgapExtension): Record<string, unknown> {
  const diagnostics: Record<string, unknown[]> = {};
  for (const [uri, list] of vscode.languages.getDiagnostics()) {
    const ours = list.filter((d) => d.source === "mindgap");
    if (ours.length === 0) continue;
    diagnostics[uri.toString()] = ours.map((d) => ({
      code: typeof d.code === "object" ? d.code.value : d.code,
      message: d.message,
      severity: vscode.DiagnosticSeverity[d.severity],
      range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
    }));
  }
  const codeLenses: Record<string, string[]> = {};
  for (const document of vscode.workspace.textDocuments) {
    const lenses = extension.lenses.provideCodeLenses(document);
    if (lenses.length) codeLenses[document.uri.toString()] = lenses.map((lens) => lens.command?.title ?? "");
  }
  const decorations: Record<string, unknown> = {};
  for (const [uri, shown] of extension.decorations.shown) {
    decorations[uri] = { pending: shown.pending.map((r) => [r.start.line, r.end.line]), waived: shown.waived.map((r) => [r.start.line, r.end.line]) };
  }
  // the text of documents with regions, so a test can compute what the server computes
  const texts: Record<string, string> = {};
  for (const document of vscode.workspace.textDocuments) {
    if (extension.index.regions(document.uri).length) texts[document.uri.toString()] = document.getText();
  }
  const { server, debt } = extension;
  const tooltip = debt.item.tooltip;
  return {
    activationMs: extension.activationMilliseconds,
    enabled: extension.enabled,
    server: { command: server.command, problem: server.problem, state: server.state },
    regions: Object.fromEntries(extension.index.all()),
    diagnostics,
    decorations,
    codeLenses,
    statusBar: { text: debt.item.text, tooltip: typeof tooltip === "string" ? tooltip : tooltip?.value, visible: extension.enabled && configuration().get("statusBar.enable", true) },
    debt: debt.summary,
    reportOpen: debt.reportOpen,
    gate: extension.gate.activity,
    reported: extension.reports.reported,
    texts,
  };
}
