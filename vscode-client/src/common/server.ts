/**
 * Server start-up: finds the command (python.ts), starts `mindgap serve` through
 * vscode-languageclient over stdio, and keeps the one client: start, stop, requests. What the
 * server sends (diagnostics, quiz offers, debt) goes to the `ServerHooks` the extension gives.
 */
import * as vscode from "vscode";
import { ExecuteCommandRequest, LanguageClient, LanguageClientOptions, ServerOptions, State, StaticFeature } from "vscode-languageclient/node";
import { SELECTOR, sentCellVersions } from "./documents";
import { findServerCommand, PythonInterpreters, ServerCommand, ServerNotFound } from "./python";
import { serverFolder, serverSettings } from "./settings";
import { Method, QUIZ_UI_CAPABILITY } from "./wire";
import type { CommandName, Commands, DebtSummary, Notifications, QuizOffer } from "./wire";

/** The notifications the client sends (the names and params: common/wire.ts). */
type ClientNotification = { [M in keyof Notifications]: Notifications[M]["from"] extends "client" ? M : never }[keyof Notifications];

/** Makes the server send the quiz as data and offer quizzes by notification (lsp/gate.py). */
class QuizUiCapability implements StaticFeature {
  fillClientCapabilities(capabilities: { experimental?: unknown }): void {
    capabilities.experimental = { ...((capabilities.experimental as object) ?? {}), [QUIZ_UI_CAPABILITY]: true };
  }
  initialize(): void {}
  getState() {
    return { kind: "static" as const };
  }
  clear(): void {}
}

export interface ServerHooks {
  /** The client exists and is about to start: what depends on it (the tracker) starts now. */
  created(client: LanguageClient): void;
  /** A document version's didChange went out: reports naming that version may follow. */
  changeSent(uri: string, version: number): void;
  diagnostics(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): void;
  quizOffer(offer: QuizOffer): void;
  debt(summary: DebtSummary): void;
  /** Anything the probe shows changed: the state, the command, the problem. */
  changed(): void;
}

export class MindgapServer {
  command: ServerCommand | undefined;
  /** Why there is no running server, for messages. */
  problem: string | undefined;
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly output: vscode.LogOutputChannel,
    private readonly interpreters: PythonInterpreters,
    private readonly settingKeys: readonly string[],
    private readonly hooks: ServerHooks,
  ) {}

  get state(): string {
    return this.client ? State[this.client.state] : "Stopped";
  }

  get running(): boolean {
    return Boolean(this.client?.isRunning());
  }

  /** Starts the server; returns once the client is running (or failed). */
  start(): Promise<void> {
    this.starting ??= this.startNow().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Waits for a start under way, however it ends. */
  async settled(): Promise<void> {
    await this.starting?.catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.settled();
    const client = this.client;
    this.client = undefined;
    if (client?.isRunning()) await client.stop();
  }

  async execute<C extends CommandName>(command: C, args: [Commands[C]["arguments"]]): Promise<Commands[C]["reply"]> {
    if (this.starting) await this.starting;
    const client = this.client;
    if (!client || client.state !== State.Running) {
      throw new Error(this.problem ?? "mindgap: the server is not running (is mindgap.enable on?)");
    }
    // the reply's type is the contract's: the server builds it from the models wire.ts comes from
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  /** Sends a notification if the server runs; false when it does not. */
  notify<M extends ClientNotification>(method: M, params: Notifications[M]["params"]): boolean {
    return this.send(method, params);
  }

  private send(method: string, params: unknown): boolean {
    const client = this.client;
    if (!client?.isRunning()) return false;
    void client.sendNotification(method, params).catch((error) => this.output.appendLine(`cannot send ${method}: ${String(error)}`));
    return true;
  }

  /** The settings the server reads changed: send what the user set now. */
  settingsChanged(): void {
    this.send("workspace/didChangeConfiguration", { settings: { mindgap: serverSettings(this.settingKeys) } });
  }

  private async startNow(): Promise<void> {
    if (this.client) return;
    const folder = serverFolder();
    try {
      this.command = await findServerCommand(folder, this.interpreters);
      this.problem = undefined;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
      this.output.appendLine(this.problem);
      this.hooks.changed();
      if (error instanceof ServerNotFound) {
        const choice = await vscode.window.showErrorMessage(this.problem, "Open Settings");
        if (choice) void vscode.commands.executeCommand("workbench.action.openSettings", "mindgap.python");
      }
      return;
    }
    this.output.appendLine(`starting ${this.command.command} ${this.command.args.join(" ")} (${this.command.origin})`);
    const client = this.createClient(this.command, folder);
    this.client = client;
    this.hooks.created(client);
    try {
      await client.start();
    } catch (error) {
      this.problem = `mindgap: the server did not start: ${error instanceof Error ? error.message : String(error)}`;
      this.output.appendLine(this.problem);
      void vscode.window.showErrorMessage(this.problem);
    }
    this.hooks.changed();
  }

  private createClient(command: ServerCommand, folder: vscode.Uri | undefined): LanguageClient {
    // No `transport`: stdio is the default, and naming it would add a `--stdio` argument.
    const serverOptions: ServerOptions = {
      command: command.command,
      args: command.args,
      options: { env: process.env, cwd: folder?.fsPath },
    };
    // No `workspaceFolder`: the client then sends every folder of the window to the server.
    const clientOptions: LanguageClientOptions = {
      documentSelector: SELECTOR,
      outputChannel: this.output,
      initializationOptions: serverSettings(this.settingKeys),
      middleware: {
        // A report names a document version: it must reach the server after that version's
        // didChange, which the client sends asynchronously, so reports wait for it.
        didChange: async (event, next) => {
          const version = event.document.version; // before the await: typing moves it on
          await next(event);
          this.hooks.changeSent(client.code2ProtocolConverter.asUri(event.document.uri), version);
        },
        // Notebook cells go through notebook sync (the server's notebookDocumentSync), not
        // textDocument/didChange: their versions are sent with the notebook's changes.
        notebooks: {
          didChange: async (event, next) => {
            const sent = sentCellVersions(event);
            await next(event);
            for (const { uri, version } of sent) this.hooks.changeSent(client.code2ProtocolConverter.asUri(uri), version);
          },
        },
        handleDiagnostics: (uri, diagnostics, next) => {
          next(uri, diagnostics);
          this.hooks.diagnostics(uri, diagnostics);
        },
      },
    };
    const client = new LanguageClient("mindgap", "mindgap", serverOptions, clientOptions);
    client.registerFeature(new QuizUiCapability());
    client.onNotification(Method.quizOffer, (offer: QuizOffer) => this.hooks.quizOffer(offer));
    client.onNotification(Method.debt, (summary: DebtSummary) => this.hooks.debt(summary));
    client.onDidChangeState(() => this.hooks.changed());
    return client;
  }
}
