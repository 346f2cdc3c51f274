/**
 * What the developer sees of foreign regions: a gutter mark and a faint background, a CodeLens
 * above each region, and a hover with the details. All of it is drawn from the server's
 * diagnostics (the region index below), so the editor shows exactly what the server knows.
 */
import * as vscode from "vscode";
import { ForeignRegion, ServerDiagnostic, containsLine, hoverMarkdown, lensTitle, regionsFrom } from "./regions";

/** The regions of each document, from the latest diagnostics the server published for it. */
export class RegionIndex implements vscode.Disposable {
  private readonly byUri = new Map<string, ForeignRegion[]>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  update(uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[]): void {
    const plain: ServerDiagnostic[] = diagnostics.map((d) => ({
      range: { start: d.range.start, end: d.range.end },
      message: d.message,
      source: d.source,
      code: d.code as ServerDiagnostic["code"],
      data: (d as vscode.Diagnostic & { data?: unknown }).data,
    }));
    this.byUri.set(uri.toString(), regionsFrom(plain));
    this.changed.fire(uri);
  }

  regions(uri: vscode.Uri): ForeignRegion[] {
    return this.byUri.get(uri.toString()) ?? [];
  }

  all(): Map<string, ForeignRegion[]> {
    return this.byUri;
  }

  at(uri: vscode.Uri, line: number): ForeignRegion | undefined {
    return this.regions(uri).find((region) => containsLine(region, line));
  }

  clear(): void {
    const uris = [...this.byUri.keys()];
    this.byUri.clear();
    for (const uri of uris) this.changed.fire(vscode.Uri.parse(uri));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Whole lines a region covers (a region that ends at column 0 does not cover that line). */
export function lineSpan(region: ForeignRegion): vscode.Range {
  const { start, end } = region.range;
  const last = end.line > start.line && end.character === 0 ? end.line - 1 : end.line;
  return new vscode.Range(start.line, 0, last, 0);
}

export class RegionDecorations implements vscode.Disposable {
  private readonly pending: vscode.TextEditorDecorationType;
  private readonly waived: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];
  /** What each editor shows, by document URI, for the test probe. */
  readonly shown = new Map<string, { pending: vscode.Range[]; waived: vscode.Range[] }>();

  constructor(
    private readonly index: RegionIndex,
    extensionUri: vscode.Uri,
    private readonly enabled: () => boolean,
  ) {
    this.pending = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor("mindgap.foreignBackground"),
      gutterIconPath: vscode.Uri.joinPath(extensionUri, "media", "foreign.svg"),
      gutterIconSize: "contain",
      overviewRulerColor: new vscode.ThemeColor("mindgap.foreignRuler"),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.waived = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      gutterIconPath: vscode.Uri.joinPath(extensionUri, "media", "waived.svg"),
      gutterIconSize: "contain",
    });
    this.disposables.push(
      this.pending,
      this.waived,
      index.onDidChange(() => this.refresh()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refresh()),
    );
  }

  refresh(): void {
    this.shown.clear();
    for (const editor of vscode.window.visibleTextEditors) {
      const regions = this.enabled() ? this.index.regions(editor.document.uri) : [];
      const pending = regions.filter((r) => r.state === "pending").map(lineSpan);
      const waived = regions.filter((r) => r.state === "waived").map(lineSpan);
      editor.setDecorations(this.pending, pending);
      editor.setDecorations(this.waived, waived);
      this.shown.set(editor.document.uri.toString(), { pending, waived });
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

export class RegionCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly index: RegionIndex,
    private readonly enabled: () => boolean,
  ) {
    index.onDidChange(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.enabled()) return [];
    return this.index.regions(document.uri).flatMap((region) => lensesFor(document.uri, region));
  }
}

/** "AI-inserted · 14 lines · 2 unfamiliar constructs · Quiz | Explain | Hand-write". */
export function lensesFor(uri: vscode.Uri, region: ForeignRegion): vscode.CodeLens[] {
  if (region.state === "understood") return [];
  const line = new vscode.Range(region.range.start.line, 0, region.range.start.line, 0);
  const target = [uri.toString(), region.id];
  const lenses = [new vscode.CodeLens(line, { title: lensTitle(region), command: "mindgap.showRegion", arguments: target, tooltip: region.message })];
  if (region.state !== "pending") return lenses;
  for (const [title, command, tooltip] of [
    ["Quiz", "mindgap.quizRegion", "Answer a few questions about this code"],
    ["Explain", "mindgap.explainRegion", "Say in your own words what this code does"],
    ["Hand-write", "mindgap.handwriteRegion", "Put this code aside and write it yourself"],
  ]) {
    lenses.push(new vscode.CodeLens(line, { title, command, arguments: target, tooltip }));
  }
  return lenses;
}

export class RegionHovers implements vscode.HoverProvider {
  constructor(
    private readonly index: RegionIndex,
    private readonly enabled: () => boolean,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.enabled()) return undefined;
    const region = this.index.at(document.uri, position.line);
    if (!region) return undefined;
    const args = encodeURIComponent(JSON.stringify([document.uri.toString(), region.id]));
    const actions = [
      `[Quiz me](command:mindgap.quizRegion?${args})`,
      `[Explain](command:mindgap.explainRegion?${args})`,
      `[Hand-write](command:mindgap.handwriteRegion?${args})`,
      `[Accept without understanding](command:mindgap.waiveRegion?${args})`,
    ].join(" · ");
    const markdown = new vscode.MarkdownString(hoverMarkdown(region, actions));
    markdown.isTrusted = { enabledCommands: ["mindgap.quizRegion", "mindgap.explainRegion", "mindgap.handwriteRegion", "mindgap.waiveRegion"] };
    return new vscode.Hover(markdown, lineSpan(region));
  }
}
