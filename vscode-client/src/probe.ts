/**
 * Test-only: when MINDGAP_VSCODE_PROBE names a file, what the extension sees (diagnostics,
 * decorations, CodeLens titles, the status bar, the quiz on screen, the insertions reported)
 * is written there as JSON after every change. code-server has no extension-test runner, so
 * the end-to-end test reads this file next to the screenshots. Off (and free) otherwise.
 */
import { renameSync, writeFileSync } from "node:fs";

export class Probe {
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;

  constructor(
    private readonly path: string | undefined,
    private readonly snapshot: () => unknown,
  ) {}

  get enabled(): boolean {
    return Boolean(this.path);
  }

  /** Write soon (changes come in bursts: one write for the burst). */
  changed(): void {
    if (!this.path || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, 50);
  }

  write(): void {
    if (!this.path) return;
    const temporary = `${this.path}.tmp`;
    try {
      writeFileSync(temporary, JSON.stringify({ sequence: ++this.sequence, ...(this.snapshot() as object) }, null, 1));
      renameSync(temporary, this.path); // readers never see half a file
    } catch (error) {
      console.error(`mindgap probe: cannot write ${this.path}: ${String(error)}`);
    }
  }
}
