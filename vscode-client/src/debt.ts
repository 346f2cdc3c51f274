/**
 * The understanding debt in the status bar (from the server's `mindgap/debt` notification)
 * and the report page (the server's `mindgap.report`, format html) in a webview.
 */
import * as vscode from "vscode";
import { Command } from "./common/wire";
import type { DebtSummary, ReportReply } from "./common/wire";
import type { ExecuteOnServer } from "./gateUi";

export class DebtStatus implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  summary: DebtSummary | undefined;
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly execute: ExecuteOnServer,
    private readonly enabled: () => boolean,
    private readonly onChange: () => void,
  ) {
    this.item = vscode.window.createStatusBarItem("mindgap.debt", vscode.StatusBarAlignment.Left, 10);
    this.item.name = "mindgap understanding debt";
    this.item.command = "mindgap.showReport";
    this.item.text = "$(mortar-board) mindgap";
    this.item.tooltip = "mindgap: waiting for the server";
    this.refresh();
  }

  update(summary: DebtSummary): void {
    this.summary = summary;
    this.item.text = `$(mortar-board) debt ${summary.debtLines} line${summary.debtLines === 1 ? "" : "s"}`;
    const tooltip = new vscode.MarkdownString(
      [
        `**mindgap** · ${summary.text}`,
        "",
        `foreign ${summary.foreignLines} · understood ${summary.understoodLines} · pending ${summary.pendingLines} · waived ${summary.waivedLines}`,
        "",
        "Click for the report.",
      ].join("\n"),
    );
    this.item.tooltip = tooltip;
    this.item.backgroundColor = summary.pendingLines > 0 ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
    this.refresh();
  }

  refresh(): void {
    if (this.enabled()) this.item.show();
    else this.item.hide();
    this.onChange();
  }

  async showReport(): Promise<void> {
    let reply: ReportReply;
    try {
      // in a multi-root workspace the report is for the developer of the active file's folder
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      reply = await this.execute(Command.report, [{ format: "html", ...(uri ? { uri } : {}) }]);
    } catch (error) {
      void vscode.window.showErrorMessage(`mindgap: the report is not available: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (reply.summary) this.update(reply.summary);
    if (!this.panel) {
      // No scripts: the report is a static page; links open nothing inside the webview.
      this.panel = vscode.window.createWebviewPanel("mindgap.report", "mindgap: understanding debt", vscode.ViewColumn.Beside, { enableScripts: false });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.webview.html = String(reply.content); // format html: the page
    this.panel.reveal();
    this.onChange();
  }

  get reportOpen(): boolean {
    return this.panel !== undefined;
  }

  dispose(): void {
    this.item.dispose();
    this.panel?.dispose();
  }
}
