/**
 * The editor side of provenance: the accept wrapper around inline suggestions, and the
 * change listener that reports pastes and edits made by other extensions. What counts as an
 * insertion is decided by the pure classifier in insertions.ts; this module only feeds it.
 */
import { performance } from "node:perf_hooks";
import * as vscode from "vscode";
import { AcceptStarted, Insertion, InsertionClassifier, InsertionSource, TrackingOptions, Verdict } from "./insertions";

export interface DidInsertParams {
  textDocument: { uri: string; version: number };
  range: Insertion["range"];
  source: InsertionSource;
  tool?: string;
}

/** Assistants whose extension, when it is the only one active, names the suggestion's source:
 * VS Code does not tell which provider produced the suggestion that was accepted. */
const KNOWN_ASSISTANTS: Record<string, string> = {
  "github.copilot": "GitHub Copilot",
  "codeium.codeium": "Codeium",
  "tabnine.tabnine-vscode": "Tabnine",
  "continue.continue": "Continue",
  "supermaven.supermaven": "Supermaven",
  "sourcegraph.cody-ai": "Cody",
  "amazonwebservices.amazon-q-vscode": "Amazon Q",
};

export function trackingOptions(config: vscode.WorkspaceConfiguration): TrackingOptions {
  return {
    inlineCompletions: config.get<boolean>("track.inlineCompletions", true),
    pastes: config.get<boolean>("track.pastes", true),
    foreignEdits: config.get<boolean>("track.foreignEdits", true),
    quietMilliseconds: config.get<number>("track.quietMilliseconds", 1500),
    minLines: config.get<number>("track.minLines", 2),
    acceptWindowMilliseconds: 1000,
  };
}

export class InsertionTracker implements vscode.Disposable {
  readonly classifier: InsertionClassifier;
  /** Time spent in the change listener, for the keystroke benchmark. */
  readonly handlerTimes: number[] = [];
  measuring = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    options: TrackingOptions,
    /** The documents whose insertions are reported (common/documents.ts). */
    private readonly follows: (document: vscode.TextDocument) => boolean,
    private readonly uriOf: (uri: vscode.Uri) => string,
    private readonly report: (params: DidInsertParams) => void,
    private readonly configuredTool: () => string,
  ) {
    this.classifier = new InsertionClassifier(options);
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => this.onChange(event)),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.kind === vscode.TextEditorSelectionChangeKind.Keyboard || event.kind === vscode.TextEditorSelectionChangeKind.Mouse) {
          this.classifier.noteInteraction(event.textEditor.document.uri.toString(), performance.now());
        }
      }),
      vscode.workspace.onWillSaveTextDocument((event) => this.classifier.beginSave(event.document.uri.toString())),
      vscode.workspace.onDidSaveTextDocument((document) => this.classifier.finishSave(document.uri.toString())),
      vscode.workspace.onDidCloseTextDocument((document) => this.classifier.forget(document.uri.toString())),
    );
  }

  /** Tab on a visible inline suggestion: note the document, run the real accept, and let the
   * change it makes be reported as `inline-completion`. */
  async acceptInlineSuggestion(...args: unknown[]): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const uri = editor && this.follows(editor.document) ? editor.document.uri.toString() : undefined;
    if (editor && uri) {
      const lines = new Map<number, string>();
      for (const selection of editor.selections) lines.set(selection.active.line, editor.document.lineAt(selection.active.line).text);
      const started: AcceptStarted = { uri, at: performance.now(), tool: this.toolName(), lines };
      this.classifier.beginAccept(started);
    }
    try {
      await vscode.commands.executeCommand("editor.action.inlineSuggest.commit", ...args);
    } finally {
      if (uri) this.classifier.finishAccept(uri, performance.now());
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return; // a dirty-state change only
    const started = this.measuring ? performance.now() : 0;
    const document = event.document;
    if (this.follows(document)) {
      const uri = document.uri.toString();
      const verdict = this.classifier.classify({
        uri,
        version: document.version,
        reason: event.reason === vscode.TextDocumentChangeReason.Undo ? "undo" : event.reason === vscode.TextDocumentChangeReason.Redo ? "redo" : undefined,
        changes: event.contentChanges,
        at: performance.now(),
        active: vscode.window.activeTextEditor?.document === document,
        visible: vscode.window.visibleTextEditors.some((editor) => editor.document === document),
      });
      if (verdict.kind !== "none") this.act(document, document.version, verdict);
    }
    if (this.measuring) this.handlerTimes.push(performance.now() - started);
  }

  private act(document: vscode.TextDocument, version: number, verdict: Verdict): void {
    if (verdict.kind === "insertion") {
      for (const insertion of verdict.insertions) {
        this.report({ textDocument: { uri: this.uriOf(document.uri), version }, range: insertion.range, source: verdict.source, tool: verdict.tool });
      }
    } else if (verdict.kind === "paste-candidate") {
      // The clipboard can only be read asynchronously: the report names the version the
      // paste made, and the server maps it through any edit made since.
      vscode.env.clipboard.readText().then(
        (clipboard) => {
          if (InsertionClassifier.isPaste(verdict.pasted, clipboard)) this.act(document, version, { kind: "insertion", source: "paste", insertions: verdict.insertions });
          else this.act(document, version, verdict.otherwise);
        },
        () => this.act(document, version, verdict.otherwise),
      );
    }
  }

  private toolName(): string | undefined {
    const configured = this.configuredTool().trim();
    if (configured) return configured;
    const active = Object.entries(KNOWN_ASSISTANTS).filter(([id]) => vscode.extensions.getExtension(id)?.isActive);
    return active.length === 1 ? active[0][1] : undefined;
  }
}
