/**
 * Insertion reports, in order. A report names a document version and must reach the server
 * after that version's didChange, which vscode-languageclient sends asynchronously: a report
 * waits here until its version has gone out.
 */
import type { DidInsertParams } from "./tracking";

export type ReportedInsertion = DidInsertParams & { at: string };

const KEPT = 100; // the last reports, for the probe

export class InsertionReports {
  /** The last reports sent, oldest first. */
  readonly reported: ReportedInsertion[] = [];
  private readonly sentVersions = new Map<string, number>(); // by URI: the last didChange sent
  private waiting: DidInsertParams[] = [];

  constructor(
    /** Sends a report; false when there is no server to send it to. */
    private readonly send: (params: DidInsertParams) => boolean,
    private readonly log: (line: string) => void,
    private readonly changed: () => void,
  ) {}

  report(params: DidInsertParams): void {
    const { uri, version } = params.textDocument;
    if ((this.sentVersions.get(uri) ?? -1) >= version) {
      this.sendNow(params);
    } else {
      this.waiting.push(params);
    }
  }

  changeSent(uri: string, version: number): void {
    this.sentVersions.set(uri, version);
    const ready = this.waiting.filter((r) => r.textDocument.uri === uri && r.textDocument.version <= version);
    this.waiting = this.waiting.filter((r) => !ready.includes(r));
    for (const params of ready) this.sendNow(params);
  }

  /** A new server knows no versions: forget what was sent and what waits. */
  reset(): void {
    this.waiting = [];
    this.sentVersions.clear();
  }

  private sendNow(params: DidInsertParams): void {
    if (!this.send(params)) return;
    this.reported.push({ ...params, at: new Date().toISOString() });
    if (this.reported.length > KEPT) this.reported.shift();
    this.log(`reported ${params.source}${params.tool ? ` (${params.tool})` : ""} at ${params.range.start.line + 1}-${params.range.end.line + 1} of ${params.textDocument.uri}`);
    this.changed();
  }
}
