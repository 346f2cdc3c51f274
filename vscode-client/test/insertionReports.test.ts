import * as assert from "node:assert/strict";
import { InsertionReports } from "../src/insertionReports";
import type { DidInsertParams } from "../src/tracking";

function report(uri: string, version: number, line = 0): DidInsertParams {
  return { textDocument: { uri, version }, range: { start: { line, character: 0 }, end: { line: line + 2, character: 0 } }, source: "paste" };
}

describe("insertion reports", () => {
  let sent: DidInsertParams[];
  let running: boolean;
  let reports: InsertionReports;
  beforeEach(() => {
    sent = [];
    running = true;
    reports = new InsertionReports(
      (params) => running && sent.push(params) > 0,
      () => undefined,
      () => undefined,
    );
  });

  it("wait for their version's didChange, then go in order", () => {
    reports.report(report("file:///a.py", 3, 1));
    reports.report(report("file:///a.py", 4, 2));
    const versions = () => sent.map((p) => p.textDocument.version);
    assert.deepEqual(versions(), []);
    reports.changeSent("file:///a.py", 3);
    assert.deepEqual(versions(), [3]);
    reports.changeSent("file:///a.py", 4);
    assert.deepEqual(versions(), [3, 4]);
  });

  it("go at once when their version was sent already, and only for their document", () => {
    reports.changeSent("file:///a.py", 5);
    reports.report(report("file:///a.py", 5));
    reports.report(report("file:///b.py", 5));
    assert.deepEqual(
      sent.map((p) => p.textDocument.uri),
      ["file:///a.py"],
    );
  });

  it("are kept for the probe only when sent", () => {
    running = false;
    reports.changeSent("file:///a.py", 1);
    reports.report(report("file:///a.py", 1));
    assert.equal(reports.reported.length, 0);
    running = true;
    reports.report(report("file:///a.py", 1));
    assert.equal(reports.reported.length, 1);
  });

  it("forget versions and waiting reports on reset (a new server)", () => {
    reports.changeSent("file:///a.py", 5);
    reports.report(report("file:///a.py", 6));
    reports.reset();
    reports.report(report("file:///a.py", 2)); // version 5 is forgotten: this one waits
    reports.changeSent("file:///a.py", 1); // and the dropped version 6 never goes
    assert.deepEqual(sent, []);
  });
});
