/**
 * Which command starts `mindgap serve`: the user's explicit command, else a Python that has
 * mindgap installed (the `mindgap.python` setting, the Python extension's interpreter, then
 * `python3` on PATH), checked before starting so a missing install gets a clear message.
 */
import { execFile } from "node:child_process";
import * as vscode from "vscode";

export interface ServerCommand {
  command: string;
  args: string[];
  origin: string; // where the choice came from, for messages
}

export class ServerNotFound extends Error {}

const CHECK_TIMEOUT_MS = 15_000;

export async function findServerCommand(folder: vscode.Uri | undefined): Promise<ServerCommand> {
  const config = vscode.workspace.getConfiguration("mindgap", folder);
  const explicit = config.get<string[]>("serverCommand") ?? [];
  if (explicit.length > 0) {
    return { command: explicit[0], args: explicit.slice(1), origin: "the setting mindgap.serverCommand" };
  }
  const candidates: { python: string; origin: string }[] = [];
  const configured = (config.get<string>("python") ?? "").trim();
  if (configured) {
    candidates.push({ python: configured, origin: "the setting mindgap.python" });
  } else {
    const active = await pythonExtensionInterpreter(folder);
    if (active) candidates.push({ python: active, origin: "the Python extension's interpreter" });
    candidates.push({ python: "python3", origin: "python3 on PATH" });
  }
  const problems: string[] = [];
  for (const { python, origin } of candidates) {
    const problem = await mindgapImportProblem(python);
    if (problem === undefined) return { command: python, args: ["-m", "mindgap", "serve"], origin };
    problems.push(`${python} (${origin}): ${problem}`);
  }
  throw new ServerNotFound(
    `mindgap is not installed in any Python found: ${problems.join("; ")}. ` +
      "Install it (`python3 -m pip install mindgap`), or set `mindgap.python` to a Python that has it.",
  );
}

/** The interpreter the Python extension has selected, when that extension is installed. */
async function pythonExtensionInterpreter(folder: vscode.Uri | undefined): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension("ms-python.python");
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const environments = api?.environments;
    if (!environments?.getActiveEnvironmentPath) return undefined;
    const active = environments.getActiveEnvironmentPath(folder);
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable?.uri?.fsPath ?? active?.path;
  } catch {
    return undefined; // an older or broken Python extension: fall back to PATH
  }
}

/** undefined when `python -c "import mindgap"` works, else why not. */
function mindgapImportProblem(python: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(python, ["-c", "import mindgap"], { timeout: CHECK_TIMEOUT_MS }, (error, _stdout, stderr) => {
      if (!error) resolve(undefined);
      else if ((error as NodeJS.ErrnoException).code === "ENOENT") resolve("not found");
      else resolve(stderr.trim().split("\n").pop() || error.message);
    });
  });
}
