/**
 * Python discovery: which command starts `mindgap serve`. The user's explicit command, else a
 * Python that has mindgap installed (the `mindgap.python` setting, the Python extension's
 * interpreter, then `python3` on PATH), checked before starting so a missing install gets a
 * clear message. The Python extension's interpreter is followed: `PythonInterpreters` says when
 * it changes, so the server can be started again with the new one.
 */
import { execFile } from "node:child_process";
import * as vscode from "vscode";
import { launchSettings } from "./settings";

export interface ServerCommand {
  command: string;
  args: string[];
  origin: string; // where the choice came from, for messages
}

export class ServerNotFound extends Error {}

const CHECK_TIMEOUT_MS = 15_000;
const PYTHON_EXTENSION = "ms-python.python";

export async function findServerCommand(folder: vscode.Uri | undefined, interpreters: PythonInterpreters): Promise<ServerCommand> {
  const settings = launchSettings(folder);
  if (settings.serverCommand.length > 0) {
    return { command: settings.serverCommand[0], args: settings.serverCommand.slice(1), origin: "the setting mindgap.serverCommand" };
  }
  const candidates: { python: string; origin: string }[] = [];
  if (settings.python) {
    candidates.push({ python: settings.python, origin: "the setting mindgap.python" });
  } else {
    const active = await interpreters.active(folder);
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

/** Whether discovery asks the Python extension (neither setting names the server's Python). */
export function followsPythonExtension(folder: vscode.Uri | undefined): boolean {
  const settings = launchSettings(folder);
  return settings.serverCommand.length === 0 && !settings.python;
}

/** The part of the Python extension's API (`exports.environments`) that mindgap uses. */
interface EnvironmentPath {
  id: string;
  path: string;
}
interface PythonEnvironments {
  getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath;
  resolveEnvironment(environment: EnvironmentPath | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  onDidChangeActiveEnvironmentPath?: vscode.Event<EnvironmentPath & { resource?: vscode.WorkspaceFolder | vscode.Uri }>;
}

export interface InterpreterChange {
  /** The folder whose interpreter changed; undefined: the whole window's. */
  folder: vscode.Uri | undefined;
  /** The new interpreter's executable (or the environment's path, when it cannot be resolved). */
  python: string;
}

/** The Python extension's interpreters, when that extension is installed. */
export class PythonInterpreters implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<InterpreterChange>();
  /** The active interpreter changed. Watched from the first question asked (discovery). */
  readonly onDidChange = this.changed.event;
  private watching: vscode.Disposable | undefined;

  /** The interpreter the Python extension has selected for `folder`. */
  async active(folder: vscode.Uri | undefined): Promise<string | undefined> {
    try {
      const environments = await this.environments();
      if (!environments?.getActiveEnvironmentPath) return undefined;
      const active = environments.getActiveEnvironmentPath(folder);
      return active ? await this.executable(environments, active) : undefined;
    } catch {
      return undefined; // an older or broken Python extension: fall back to PATH
    }
  }

  dispose(): void {
    this.watching?.dispose();
    this.changed.dispose();
  }

  private async environments(): Promise<PythonEnvironments | undefined> {
    const extension = vscode.extensions.getExtension(PYTHON_EXTENSION);
    if (!extension) return undefined;
    const api = extension.isActive ? extension.exports : await extension.activate();
    const environments: PythonEnvironments | undefined = api?.environments;
    if (environments?.onDidChangeActiveEnvironmentPath && !this.watching) {
      this.watching = environments.onDidChangeActiveEnvironmentPath((event) => void this.announce(environments, event));
    }
    return environments;
  }

  private async announce(environments: PythonEnvironments, event: EnvironmentPath & { resource?: vscode.WorkspaceFolder | vscode.Uri }): Promise<void> {
    const folder = event.resource instanceof vscode.Uri ? event.resource : event.resource?.uri;
    let python = event.path;
    try {
      python = await this.executable(environments, event);
    } catch {
      // unresolvable: the path the event names is the best answer there is
    }
    this.changed.fire({ folder, python });
  }

  private async executable(environments: PythonEnvironments, environment: EnvironmentPath): Promise<string> {
    const resolved = await environments.resolveEnvironment(environment);
    return resolved?.executable?.uri?.fsPath ?? environment.path;
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
