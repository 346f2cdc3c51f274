import * as assert from "node:assert/strict";
import { InterpreterChangeFacts, interpreterChangeRestarts } from "../src/common/interpreterChange";

const FIRST = "file:///work/app";
const facts: InterpreterChangeFacts = {
  changedFolder: FIRST,
  python: "/work/app/.venv/bin/python",
  serverFolder: FIRST,
  followsPythonExtension: true,
  enabled: true,
  runningCommand: "/usr/bin/python3",
};

describe("a change of the Python extension's interpreter", () => {
  it("restarts a server started from the Python extension's choice", () => {
    assert.equal(interpreterChangeRestarts(facts), true);
    assert.equal(interpreterChangeRestarts({ ...facts, changedFolder: undefined }), true);
  });

  it("starts one that did not start (no Python had mindgap)", () => {
    assert.equal(interpreterChangeRestarts({ ...facts, runningCommand: undefined }), true);
  });

  it("leaves a server alone when a setting names its Python, or mindgap is off", () => {
    assert.equal(interpreterChangeRestarts({ ...facts, followsPythonExtension: false }), false);
    assert.equal(interpreterChangeRestarts({ ...facts, enabled: false }), false);
  });

  it("ignores other folders' interpreters and the interpreter already running", () => {
    assert.equal(interpreterChangeRestarts({ ...facts, changedFolder: "file:///work/lib" }), false);
    assert.equal(interpreterChangeRestarts({ ...facts, runningCommand: facts.python }), false);
  });
});
