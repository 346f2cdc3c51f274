/**
 * The commands that act on a foreign region or a selection: from the CodeLens and the hover
 * (which name the region), or from the palette (the region at the cursor).
 */
import * as vscode from "vscode";
import type { Command } from "./common/wire";
import type { ExecuteOnServer, GateUi } from "./gateUi";
import { lensTitle } from "./regions";
import type { RegionIndex } from "./views";

export type RegionAction = (uri: string, regionId: string) => Promise<void>;

export class RegionCommands {
  constructor(
    private readonly index: RegionIndex,
    private readonly gate: GateUi,
    private readonly execute: ExecuteOnServer,
  ) {}

  /** A command on a region: the one named, else the one under the cursor. */
  async onRegion(uri: string | undefined, regionId: string | undefined, run: RegionAction): Promise<void> {
    if (uri && regionId) return run(uri, regionId);
    const editor = vscode.window.activeTextEditor;
    const region = editor && this.index.at(editor.document.uri, editor.selection.active.line);
    if (!editor || !region) {
      void vscode.window.showInformationMessage("mindgap: the cursor is not in foreign code.");
      return;
    }
    return run(editor.document.uri.toString(), region.id);
  }

  async showRegion(uri: string, regionId: string): Promise<void> {
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

  async markSelection(command: typeof Command.markForeign | typeof Command.markMine): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage("mindgap: select the code first.");
      return;
    }
    const { start, end } = editor.selection;
    const range = { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } };
    try {
      await this.execute(command, [{ uri: editor.document.uri.toString(), range }]);
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    }
  }
}
