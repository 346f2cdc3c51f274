/**
 * The mindgap extension: starts `mindgap serve`, reports insertions the developer did not type,
 * shows foreign regions, runs the gate's UI and shows the understanding debt.
 * Everything is switched off (server stopped, nothing shown) by `mindgap.enable: false`.
 */
import { performance } from "node:perf_hooks";
import * as vscode from "vscode";
import { ExecuteCommandRequest, LanguageClient, LanguageClientOptions, ServerOptions, State, StaticFeature } from "vscode-languageclient/node";
import { benchmarkKeystrokes, BenchmarkOptions } from "./benchmark";
import { DebtStatus, DebtSummary } from "./debt";
import { GateUi, QuizOffer } from "./gateUi";
import { Probe } from "./probe";
import { lensTitle } from "./regions";
import { findServerCommand, ServerCommand, ServerNotFound } from "./serverCommand";
import { DidInsertParams, InsertionTracker, trackingOptions } from "./tracking";
import { RegionCodeLenses, RegionDecorations, RegionHovers, RegionIndex } from "./views";

const DID_INSERT = "mindgap/didInsert";
const QUIZ_OFFER = "mindgap/quizOffer";
const DEBT = "mindgap/debt";

/** Languages the server parses (server/mindgap/syntax): the client sends these documents. */
const SELECTOR: { scheme: string; language: string }[] = ["python", "javascript", "javascriptreact", "typescript", "typescriptreact", "go", "rust", "java"].map((language) => ({
  scheme: "file",
  language,
}));

/** Settings the server reads (config.py Settings). Sent only when the user set them, so that
 * the repository's [tool.mindgap] is not overridden by the extension's defaults. */
const SERVER_SETTINGS = ["quizOnAccept", "quizCooldownMinutes", "quizDailyCap", "foreignSeverity", "burstMinLines", "burstMinChars", "developer", "watchFiles"];

/** Makes the server send the quiz as data and offer quizzes by notification (lsp/gate.py). */
class QuizUiCapability implements StaticFeature {
  fillClientCapabilities(capabilities: { experimental?: unknown }): void {
    capabilities.experimental = { ...((capabilities.experimental as object) ?? {}), mindgapQuizUI: true };
  }
  initialize(): void {}
  getState() {
    return { kind: "static" as const };
  }
  clear(): void {}
}

export class MindgapExtension implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel("mindgap", { log: true });
  readonly index = new RegionIndex();
  readonly decorations: RegionDecorations;
  readonly lenses: RegionCodeLenses;
  readonly debt: DebtStatus;
  readonly gate: GateUi;
  readonly probe: Probe;
  activationMilliseconds = 0;
  private client: LanguageClient | undefined;
  private tracker: InsertionTracker | undefined;
  private serverCommand: ServerCommand | undefined;
  private serverProblem: string | undefined;
  private starting: Promise<void> | undefined;
  private readonly reported: (DidInsertParams & { at: string })[] = [];
  private readonly sentVersions = new Map<string, number>(); // by URI: the last didChange sent
  private waitingReports: DidInsertParams[] = [];
  private readonly diagnosticsTimes: number[] = [];
  private measuring = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(context: vscode.ExtensionContext) {
    const enabled = (what: string) => () => this.enabled && this.config().get<boolean>(`${what}.enable`, true);
    this.probe = new Probe(process.env.MINDGAP_VSCODE_PROBE, () => this.snapshot());
    this.decorations = new RegionDecorations(this.index, context.extensionUri, enabled("decorations"));
    this.lenses = new RegionCodeLenses(this.index, enabled("codeLens"));
    this.gate = new GateUi(
      (command, args) => this.execute(command, args),
      () => this.probe.changed(),
    );
    this.debt = new DebtStatus(
      (command, args) => this.execute(command, args),
      enabled("statusBar"),
      () => this.probe.changed(),
    );
    this.disposables.push(
      this.output,
      this.index,
      this.decorations,
      this.debt,
      this.index.onDidChange(() => this.probe.changed()),
      vscode.languages.registerCodeLensProvider(SELECTOR, this.lenses),
      vscode.languages.registerHoverProvider(SELECTOR, new RegionHovers(this.index, enabled("hover"))),
      vscode.workspace.onDidChangeConfiguration((event) => this.configurationChanged(event)),
    );
  }

  get enabled(): boolean {
    return this.config().get<boolean>("enable", true);
  }

  registerCommands(): void {
    const register = (name: string, run: (...args: any[]) => unknown) => this.disposables.push(vscode.commands.registerCommand(name, run));
    register("mindgap.acceptInlineSuggestion", (...args: unknown[]) =>
      this.tracker ? this.tracker.acceptInlineSuggestion(...args) : vscode.commands.executeCommand("editor.action.inlineSuggest.commit", ...args),
    );
    register("mindgap.quizRegion", (uri?: string, regionId?: string) => this.onRegion(uri, regionId, (u, r) => this.gate.quiz(u, r)));
    register("mindgap.explainRegion", (uri?: string, regionId?: string) => this.onRegion(uri, regionId, (u, r) => this.gate.explain(u, r)));
    register("mindgap.handwriteRegion", (uri?: string, regionId?: string) => this.onRegion(uri, regionId, (u, r) => this.gate.handwrite(u, r)));
    register("mindgap.waiveRegion", (uri?: string, regionId?: string) => this.onRegion(uri, regionId, (u, r) => this.gate.waive(u, r)));
    register("mindgap.showRegion", (uri?: string, regionId?: string) => this.onRegion(uri, regionId, (u, r) => this.showRegion(u, r)));
    register("mindgap.markSelectionForeign", () => this.markSelection("mindgap.markForeign"));
    register("mindgap.markSelectionMine", () => this.markSelection("mindgap.markMine"));
    register("mindgap.showReport", () => this.debt.showReport());
    register("mindgap.restartServer", async () => {
      await this.stop();
      await this.start();
    });
    register("mindgap.benchmarkKeystrokes", (options?: BenchmarkOptions) => this.benchmark(options));
  }

  /** Starts the server and the tracking; returns once the client is running (or failed). */
  start(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    this.starting ??= this.startNow().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async startNow(): Promise<void> {
    if (this.client) return;
    void vscode.commands.executeCommand("setContext", "mindgap.active", true);
    const config = this.config();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    try {
      this.serverCommand = await findServerCommand(folder);
      this.serverProblem = undefined;
    } catch (error) {
      this.serverProblem = error instanceof Error ? error.message : String(error);
      this.output.appendLine(this.serverProblem);
      this.probe.changed();
      if (error instanceof ServerNotFound) {
        const choice = await vscode.window.showErrorMessage(this.serverProblem, "Open Settings");
        if (choice) void vscode.commands.executeCommand("workbench.action.openSettings", "mindgap.python");
      }
      return;
    }
    this.output.appendLine(`starting ${this.serverCommand.command} ${this.serverCommand.args.join(" ")} (${this.serverCommand.origin})`);
    // No `transport`: stdio is the default, and naming it would add a `--stdio` argument.
    const serverOptions: ServerOptions = {
      command: this.serverCommand.command,
      args: this.serverCommand.args,
      options: { env: process.env, cwd: folder?.fsPath },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: SELECTOR,
      outputChannel: this.output,
      initializationOptions: this.serverSettings(),
      middleware: {
        // A report names a document version: it must reach the server after that version's
        // didChange, which the client sends asynchronously, so reports wait for it here.
        didChange: async (event, next) => {
          const version = event.document.version; // before the await: typing moves it on
          await next(event);
          this.changeSent(client.code2ProtocolConverter.asUri(event.document.uri), version);
        },
        handleDiagnostics: (uri, diagnostics, next) => {
          next(uri, diagnostics);
          const started = performance.now();
          this.index.update(uri, diagnostics);
          if (this.measuring) this.diagnosticsTimes.push(performance.now() - started);
        },
      },
    };
    const client = new LanguageClient("mindgap", "mindgap", serverOptions, clientOptions);
    client.registerFeature(new QuizUiCapability());
    client.onNotification(QUIZ_OFFER, (offer: QuizOffer) => void this.gate.offered(offer, config.get<string>("quiz.onOffer", "open")));
    client.onNotification(DEBT, (summary: DebtSummary) => this.debt.update(summary));
    client.onDidChangeState(() => this.probe.changed());
    this.client = client;
    this.tracker = new InsertionTracker(
      trackingOptions(config),
      SELECTOR,
      (uri) => client.code2ProtocolConverter.asUri(uri),
      (params) => this.reportInsertion(params),
      () => this.config().get<string>("inlineCompletionTool", ""),
    );
    try {
      await client.start();
    } catch (error) {
      this.serverProblem = `mindgap: the server did not start: ${error instanceof Error ? error.message : String(error)}`;
      this.output.appendLine(this.serverProblem);
      void vscode.window.showErrorMessage(this.serverProblem);
    }
    this.probe.changed();
  }

  async stop(): Promise<void> {
    void vscode.commands.executeCommand("setContext", "mindgap.active", false);
    await this.starting?.catch(() => undefined);
    this.tracker?.dispose();
    this.tracker = undefined;
    this.waitingReports = [];
    this.sentVersions.clear();
    const client = this.client;
    this.client = undefined;
    if (client?.isRunning()) await client.stop();
    this.index.clear();
    this.debt.refresh();
    this.probe.changed();
  }

  dispose(): void {
    void this.stop();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private reportInsertion(params: DidInsertParams): void {
    const { uri, version } = params.textDocument;
    if ((this.sentVersions.get(uri) ?? -1) >= version) {
      this.sendInsertion(params);
    } else {
      this.waitingReports.push(params);
    }
  }

  private changeSent(uri: string, version: number): void {
    this.sentVersions.set(uri, version);
    const ready = this.waitingReports.filter((r) => r.textDocument.uri === uri && r.textDocument.version <= version);
    this.waitingReports = this.waitingReports.filter((r) => !ready.includes(r));
    for (const params of ready) this.sendInsertion(params);
  }

  private sendInsertion(params: DidInsertParams): void {
    const client = this.client;
    if (!client?.isRunning()) return;
    void client.sendNotification(DID_INSERT, params).catch((error) => this.output.appendLine(`cannot report an insertion: ${String(error)}`));
    this.reported.push({ ...params, at: new Date().toISOString() });
    if (this.reported.length > 100) this.reported.shift();
    this.output.appendLine(`reported ${params.source}${params.tool ? ` (${params.tool})` : ""} at ${params.range.start.line + 1}-${params.range.end.line + 1} of ${params.textDocument.uri}`);
    this.probe.changed();
  }

  private async execute(command: string, args: unknown[]): Promise<unknown> {
    if (this.starting) await this.starting;
    const client = this.client;
    if (!client || client.state !== State.Running) {
      throw new Error(this.serverProblem ?? "mindgap: the server is not running (is mindgap.enable on?)");
    }
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  /** A command on a region: the one named, else the one under the cursor. */
  private async onRegion(uri: string | undefined, regionId: string | undefined, run: (uri: string, regionId: string) => Promise<void>): Promise<void> {
    if (uri && regionId) return run(uri, regionId);
    const editor = vscode.window.activeTextEditor;
    const region = editor && this.index.at(editor.document.uri, editor.selection.active.line);
    if (!editor || !region) {
      void vscode.window.showInformationMessage("mindgap: the cursor is not in foreign code.");
      return;
    }
    return run(editor.document.uri.toString(), region.id);
  }

  private async showRegion(uri: string, regionId: string): Promise<void> {
    const region = this.index.regions(vscode.Uri.parse(uri)).find((r) => r.id === regionId);
    if (!region) return;
    const details = [...region.unfamiliar, ...region.conventions, ...region.others];
    const choice = await vscode.window.showInformationMessage(
      `mindgap: ${lensTitle(region)}. ${region.message}`,
      { modal: false, detail: details.join("\n") },
      "Quiz",
      "Explain",
      "Hand-write",
    );
    if (choice === "Quiz") await this.gate.quiz(uri, regionId);
    if (choice === "Explain") await this.gate.explain(uri, regionId);
    if (choice === "Hand-write") await this.gate.handwrite(uri, regionId);
  }

  private async markSelection(command: string): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage("mindgap: select the code first.");
      return;
    }
    const { start, end } = editor.selection;
    const range = { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } };
    try {
      await this.execute(command, [editor.document.uri.toString(), range]);
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    }
  }

  private async benchmark(options?: BenchmarkOptions): Promise<Record<string, unknown>> {
    if (this.starting) await this.starting;
    // run from the palette (bench/bench_extension.py), the options come from the environment
    const environment = process.env;
    const output = options?.output ?? environment.MINDGAP_VSCODE_BENCH_OUTPUT;
    const keystrokes = options?.keystrokes ?? (Number(environment.MINDGAP_VSCODE_BENCH_KEYSTROKES) || undefined);
    const lines = options?.lines ?? (Number(environment.MINDGAP_VSCODE_BENCH_LINES) || undefined);
    const result = await benchmarkKeystrokes(
      {
        activationMilliseconds: this.activationMilliseconds,
        startMeasuring: () => {
          this.measuring = true;
          this.diagnosticsTimes.length = 0;
          if (this.tracker) {
            this.tracker.measuring = true;
            this.tracker.handlerTimes.length = 0;
          }
        },
        stopMeasuring: () => {
          this.measuring = false;
          if (this.tracker) this.tracker.measuring = false;
          return { handler: [...(this.tracker?.handlerTimes ?? [])], diagnostics: [...this.diagnosticsTimes] };
        },
      },
      { output, keystrokes, lines },
    );
    this.output.appendLine(`benchmark: ${JSON.stringify(result)}`);
    void vscode.window.showInformationMessage(`mindgap: ${JSON.stringify(result.addedPerKeystrokeMs)} ms added per keystroke`);
    return result;
  }

  private configurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration("mindgap")) return;
    if (event.affectsConfiguration("mindgap.enable") || event.affectsConfiguration("mindgap.python") || event.affectsConfiguration("mindgap.serverCommand")) {
      void this.stop().then(() => this.start());
    }
    if (this.tracker) this.tracker.classifier.options = trackingOptions(this.config());
    if (this.client?.isRunning() && SERVER_SETTINGS.some((key) => event.affectsConfiguration(`mindgap.${key}`))) {
      void this.client.sendNotification("workspace/didChangeConfiguration", { settings: { mindgap: this.serverSettings() } });
    }
    this.decorations.refresh();
    this.lenses.refresh();
    this.debt.refresh();
  }

  private serverSettings(): Record<string, unknown> {
    const config = this.config();
    const settings: Record<string, unknown> = {};
    for (const key of SERVER_SETTINGS) {
      const seen = config.inspect(key);
      const value = seen?.workspaceFolderValue ?? seen?.workspaceValue ?? seen?.globalValue;
      if (value !== undefined && value !== "") settings[key] = value;
    }
    return settings;
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration("mindgap");
  }

  private snapshot(): Record<string, unknown> {
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
      const lenses = this.lenses.provideCodeLenses(document);
      if (lenses.length) codeLenses[document.uri.toString()] = lenses.map((lens) => lens.command?.title ?? "");
    }
    const decorations: Record<string, unknown> = {};
    for (const [uri, shown] of this.decorations.shown) {
      decorations[uri] = { pending: shown.pending.map((r) => [r.start.line, r.end.line]), waived: shown.waived.map((r) => [r.start.line, r.end.line]) };
    }
    // the text of documents with regions, so a test can compute what the server computes
    const texts: Record<string, string> = {};
    for (const document of vscode.workspace.textDocuments) {
      if (this.index.regions(document.uri).length) texts[document.uri.toString()] = document.getText();
    }
    const tooltip = this.debt.item.tooltip;
    return {
      activationMs: this.activationMilliseconds,
      enabled: this.enabled,
      server: { command: this.serverCommand, problem: this.serverProblem, state: this.client ? State[this.client.state] : "Stopped" },
      regions: Object.fromEntries(this.index.all()),
      diagnostics,
      decorations,
      codeLenses,
      statusBar: { text: this.debt.item.text, tooltip: typeof tooltip === "string" ? tooltip : tooltip?.value, visible: this.enabled && this.config().get("statusBar.enable", true) },
      debt: this.debt.summary,
      reportOpen: this.debt.reportOpen,
      gate: this.gate.activity,
      reported: this.reported,
      texts,
    };
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
