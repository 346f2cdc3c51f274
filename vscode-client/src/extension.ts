/**
 * The mindgap extension: starts `mindgap serve` (common/server.ts), reports insertions the
 * developer did not type, shows foreign regions, runs the gate's UI and shows the
 * understanding debt. This module wires those parts together and follows the settings and the
 * Python interpreter. Everything is switched off (server stopped, nothing shown) by
 * `mindgap.enable: false`.
 */
import { performance } from "node:perf_hooks";
import * as vscode from "vscode";
import type { BenchmarkOptions } from "./benchmark";
import { interpreterChangeRestarts } from "./common/interpreterChange";
import { followsPythonExtension, InterpreterChange, PythonInterpreters } from "./common/python";
import { isFollowed, SELECTOR } from "./common/documents";
import { MindgapServer } from "./common/server";
import { configuration, isEnabled, RESTART_SETTINGS, serverFolder, serverSettingKeys } from "./common/settings";
import { Method } from "./common/wire";
import { DebtStatus } from "./debt";
import { type ExecuteOnServer, GateUi } from "./gateUi";
import { InsertionReports } from "./insertionReports";
import { DiagnosticsMeter, runKeystrokeBenchmark, snapshot } from "./instruments";
import { Probe } from "./probe";
import { RegionCommands } from "./regionCommands";
import { InsertionTracker, trackingOptions } from "./tracking";
import { RegionCodeLenses, RegionDecorations, RegionHovers, RegionIndex } from "./views";

type CommandHandler = Parameters<typeof vscode.commands.registerCommand>[1];

export class MindgapExtension implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel("mindgap", { log: true });
  readonly index = new RegionIndex();
  readonly interpreters = new PythonInterpreters();
  readonly decorations: RegionDecorations;
  readonly lenses: RegionCodeLenses;
  readonly debt: DebtStatus;
  readonly gate: GateUi;
  readonly probe: Probe;
  readonly server: MindgapServer;
  readonly reports: InsertionReports;
  readonly regionCommands: RegionCommands;
  readonly diagnosticsMeter = new DiagnosticsMeter();
  activationMilliseconds = 0;
  tracker: InsertionTracker | undefined;
  private restarting: Promise<void> = Promise.resolve();
  private readonly serverSettingKeys: string[];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(context: vscode.ExtensionContext) {
    const enabled = (what: string) => () => this.enabled && configuration().get<boolean>(`${what}.enable`, true);
    const execute: ExecuteOnServer = (command, args) => this.server.execute(command, args);
    this.probe = new Probe(process.env.MINDGAP_VSCODE_PROBE, () => snapshot(this));
    this.decorations = new RegionDecorations(this.index, context.extensionUri, enabled("decorations"));
    this.lenses = new RegionCodeLenses(this.index, enabled("codeLens"));
    this.gate = new GateUi(execute, () => this.probe.changed());
    this.debt = new DebtStatus(execute, enabled("statusBar"), () => this.probe.changed());
    this.regionCommands = new RegionCommands(this.index, this.gate, execute);
    this.serverSettingKeys = serverSettingKeys(context.extension.packageJSON);
    this.server = new MindgapServer(this.output, this.interpreters, this.serverSettingKeys, {
      created: (client) => {
        this.tracker = new InsertionTracker(
          trackingOptions(configuration()),
          isFollowed,
          (uri) => client.code2ProtocolConverter.asUri(uri),
          (params) => this.reports.report(params),
          () => configuration().get<string>("inlineCompletionTool", ""),
        );
      },
      changeSent: (uri, version) => this.reports.changeSent(uri, version),
      diagnostics: (uri, diagnostics) => this.diagnosticsMeter.time(() => this.index.update(uri, diagnostics)),
      quizOffer: (offer) => void this.gate.offered(offer, configuration().get<string>("quiz.onOffer", "open")),
      debt: (summary) => this.debt.update(summary),
      changed: () => this.probe.changed(),
    });
    this.reports = new InsertionReports(
      (params) => this.server.notify(Method.didInsert, params),
      (line) => this.output.appendLine(line),
      () => this.probe.changed(),
    );
    this.disposables.push(
      this.output,
      this.index,
      this.interpreters,
      this.decorations,
      this.debt,
      this.index.onDidChange(() => this.probe.changed()),
      vscode.languages.registerCodeLensProvider(SELECTOR, this.lenses),
      vscode.languages.registerHoverProvider(SELECTOR, new RegionHovers(this.index, enabled("hover"))),
      vscode.workspace.onDidChangeConfiguration((event) => this.configurationChanged(event)),
      this.interpreters.onDidChange((change) => this.interpreterChanged(change)),
    );
  }

  get enabled(): boolean {
    return isEnabled();
  }

  registerCommands(): void {
    const register = (name: string, run: CommandHandler) => this.disposables.push(vscode.commands.registerCommand(name, run));
    const regions = this.regionCommands;
    register("mindgap.acceptInlineSuggestion", (...args: unknown[]) =>
      this.tracker ? this.tracker.acceptInlineSuggestion(...args) : vscode.commands.executeCommand("editor.action.inlineSuggest.commit", ...args),
    );
    register("mindgap.quizRegion", (uri?: string, regionId?: string) => regions.onRegion(uri, regionId, (u, r) => this.gate.quiz(u, r)));
    register("mindgap.explainRegion", (uri?: string, regionId?: string) => regions.onRegion(uri, regionId, (u, r) => this.gate.explain(u, r)));
    register("mindgap.handwriteRegion", (uri?: string, regionId?: string) => regions.onRegion(uri, regionId, (u, r) => this.gate.handwrite(u, r)));
    register("mindgap.waiveRegion", (uri?: string, regionId?: string) => regions.onRegion(uri, regionId, (u, r) => this.gate.waive(u, r)));
    register("mindgap.showRegion", (uri?: string, regionId?: string) => regions.onRegion(uri, regionId, (u, r) => regions.showRegion(u, r)));
    register("mindgap.markSelectionForeign", () => regions.markSelection("mindgap.markForeign"));
    register("mindgap.markSelectionMine", () => regions.markSelection("mindgap.markMine"));
    register("mindgap.showReport", () => this.debt.showReport());
    register("mindgap.restartServer", () => this.restart());
    register("mindgap.benchmarkKeystrokes", (options?: BenchmarkOptions) => runKeystrokeBenchmark(this, options));
  }

  /** Starts the server and the tracking; returns once the client is running (or failed). */
  start(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    void vscode.commands.executeCommand("setContext", "mindgap.active", true);
    return this.server.start();
  }

  async stop(): Promise<void> {
    void vscode.commands.executeCommand("setContext", "mindgap.active", false);
    await this.server.settled(); // a start under way creates the tracker: let it, then stop
    this.tracker?.dispose();
    this.tracker = undefined;
    this.reports.reset();
    await this.server.stop();
    this.index.clear();
    this.debt.refresh();
    this.probe.changed();
  }

  /** Stops and starts again; restarts asked for while one runs follow it, one at a time. */
  restart(): Promise<void> {
    this.restarting = this.restarting.then(async () => {
      await this.stop();
      await this.start();
    });
    return this.restarting;
  }

  dispose(): void {
    void this.stop();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private configurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration("mindgap")) return;
    if (RESTART_SETTINGS.some((key) => event.affectsConfiguration(`mindgap.${key}`))) {
      void this.restart();
    }
    if (this.tracker) this.tracker.classifier.options = trackingOptions(configuration());
    if (this.serverSettingKeys.some((key) => event.affectsConfiguration(`mindgap.${key}`))) {
      this.server.settingsChanged();
    }
    this.decorations.refresh();
    this.lenses.refresh();
    this.debt.refresh();
  }

  /** The Python extension's interpreter changed: a server started from it (or not started for
   * want of mindgap) starts again with the new one. */
  private interpreterChanged(change: InterpreterChange): void {
    const folder = serverFolder();
    const restarts = interpreterChangeRestarts({
      changedFolder: change.folder?.toString(),
      python: change.python,
      serverFolder: folder?.toString(),
      followsPythonExtension: followsPythonExtension(folder),
      enabled: this.enabled,
      runningCommand: this.server.running ? this.server.command?.command : undefined,
    });
    if (!restarts) return;
    this.output.appendLine(`the Python extension's interpreter is now ${change.python}: restarting the server`);
    void this.restart();
  }
}

let extension: MindgapExtension | undefined;

export function activate(context: vscode.ExtensionContext): { extension: MindgapExtension } {
  // from the first line of the bundle (esbuild.mjs's banner), so code loading counts too
  const started = (globalThis as { __mindgapLoadStarted?: number }).__mindgapLoadStarted ?? performance.now();
  extension = new MindgapExtension(context);
  context.subscriptions.push(extension);
  extension.registerCommands();
  void extension.start(); // the server starts in the background: activation does not wait
  extension.activationMilliseconds = performance.now() - started;
  extension.output.appendLine(`activated in ${extension.activationMilliseconds.toFixed(1)} ms`);
  extension.probe.changed();
  return { extension };
}

export async function deactivate(): Promise<void> {
  await extension?.stop();
  extension = undefined;
}
