/**
 * When the Python extension's interpreter changes, whether the server must start again. Kept
 * free of the editor's API so it is unit-tested (test/interpreterChange.test.ts).
 */

export interface InterpreterChangeFacts {
  /** The folder whose interpreter changed (a URI); undefined: the whole window's. */
  changedFolder: string | undefined;
  /** The new interpreter. */
  python: string;
  /** The folder the server runs in (its first workspace folder), as a URI. */
  serverFolder: string | undefined;
  /** Discovery asks the Python extension: neither mindgap.serverCommand nor mindgap.python is set. */
  followsPythonExtension: boolean;
  enabled: boolean;
  /** The running server's command, if one runs. */
  runningCommand: string | undefined;
}

export function interpreterChangeRestarts(facts: InterpreterChangeFacts): boolean {
  if (!facts.enabled || !facts.followsPythonExtension) return false;
  // another folder's interpreter: the server uses the first folder's
  if (facts.changedFolder && facts.serverFolder && facts.changedFolder !== facts.serverFolder) return false;
  return facts.runningCommand !== facts.python; // already running on it: nothing to do
}
