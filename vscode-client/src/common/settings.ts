/**
 * The extension's settings (package.json's `mindgap.*`): reading them, which of them the server
 * reads, what is sent to it, and which changes need a new server process.
 */
import * as vscode from "vscode";

export const SECTION = "mindgap";

/** The prefix package.json gives the description of every setting the server reads. */
const SERVER_MARK = "Server:";

/** Settings that choose the server process (or whether there is one): a change restarts it. */
export const RESTART_SETTINGS = ["enable", "python", "serverCommand"];

export function configuration(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, scope);
}

export function isEnabled(): boolean {
  return configuration().get<boolean>("enable", true);
}

/** What starts the server, as set for `folder` (python.ts reads these). */
export function launchSettings(folder: vscode.Uri | undefined): { serverCommand: string[]; python: string } {
  const config = configuration(folder);
  return { serverCommand: config.get<string[]>("serverCommand") ?? [], python: (config.get<string>("python") ?? "").trim() };
}

interface Manifest {
  contributes?: { configuration?: { properties?: Record<string, { description?: string }> } };
}

/** The settings the server reads (server/mindgap/config.py's `Settings`, camelCase), found in
 * package.json, their one home: the ones whose description starts with "Server:".
 * tests/unit/test_vscode_settings.py checks each against `Settings` (same default). */
export function serverSettingKeys(manifest: Manifest): string[] {
  const properties = manifest.contributes?.configuration?.properties ?? {};
  return Object.entries(properties)
    .filter(([name, property]) => name.startsWith(`${SECTION}.`) && property.description?.startsWith(SERVER_MARK))
    .map(([name]) => name.slice(SECTION.length + 1));
}

/** The server settings the user set (empty strings are unset). Only those are sent, so that the
 * repository's [tool.mindgap] is not overridden by the extension's defaults. */
export function serverSettings(keys: readonly string[]): Record<string, unknown> {
  const config = configuration();
  const settings: Record<string, unknown> = {};
  for (const key of keys) {
    const seen = config.inspect(key);
    const value = seen?.workspaceFolderValue ?? seen?.workspaceValue ?? seen?.globalValue;
    if (value !== undefined && value !== "") settings[key] = value;
  }
  return settings;
}

/** The folder the server starts in and whose Python it uses: the first workspace folder. All
 * folders are sent to the server (vscode-languageclient's initialize `workspaceFolders` and
 * `workspace/didChangeWorkspaceFolders`); the server takes the first as its repository
 * (server/mindgap/lsp/mindgap_server.py `configure`), so this is the same one. */
export function serverFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}
