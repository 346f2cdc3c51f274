import * as assert from "node:assert/strict";
import { ServerDiagnostic, containsLine, hoverMarkdown, lensTitle, regionsFrom } from "../src/regions";

const span = (a: number, b: number, c: number, d: number) => ({ start: { line: a, character: b }, end: { line: c, character: d } });

/** Diagnostics as the server publishes them (lsp/convert.py): data = {kind, ...evidence}. */
const DIAGNOSTICS: ServerDiagnostic[] = [
  {
    range: span(8, 4, 21, 0),
    message: "14 lines inserted by inline-completion (Copilot) - not yet understood",
    source: "mindgap",
    code: "foreign-region",
    data: { kind: "foreign-region", regionId: "r1", source: "inline-completion", tool: "Copilot", lines: 14, state: "pending" },
  },
  { range: span(9, 4, 9, 30), message: "dict comprehension: you have not written one", source: "mindgap", code: "unfamiliar/python.dict-comprehension", data: { kind: "unfamiliar", regionId: "r1" } },
  { range: span(12, 4, 12, 20), message: "walrus", source: "mindgap", code: "unfamiliar/python.walrus", data: { kind: "unfamiliar", regionId: "r1" } },
  { range: span(14, 4, 14, 20), message: "str.format() where the repo uses f-strings in 212 of 230 sites", source: "mindgap", code: "convention/string-format", data: { kind: "convention", regionId: "r1" } },
  { range: span(30, 0, 31, 0), message: "1 line pasted - waived", source: "mindgap", code: "foreign-region", data: { kind: "foreign-region", regionId: "r2", source: "paste", lines: 1, state: "waived" } },
  { range: span(9, 0, 9, 5), message: "not ours", source: "pyright", data: { kind: "unfamiliar", regionId: "r1" } },
];

describe("foreign regions from the server's diagnostics", () => {
  const [first, second] = regionsFrom(DIAGNOSTICS);

  it("gather each region's findings by region id, and only mindgap's", () => {
    assert.equal(regionsFrom(DIAGNOSTICS).length, 2);
    assert.deepEqual(first.unfamiliar, ["dict comprehension: you have not written one", "walrus"]);
    assert.deepEqual(first.conventions, ["str.format() where the repo uses f-strings in 212 of 230 sites"]);
    assert.equal(first.tool, "Copilot");
  });

  it("title the CodeLens as the issue shows it", () => {
    assert.equal(lensTitle(first), "AI-inserted · 14 lines · 2 unfamiliar constructs · 1 convention deviation");
    assert.equal(lensTitle(second), "Pasted · 1 line · waived (debt)");
  });

  it("hover with the origin, the state and the findings; actions only while pending", () => {
    const hover = hoverMarkdown(first, "ACTIONS");
    assert.match(hover, /AI-inserted by Copilot \(`inline-completion`\) · 14 lines · \*\*pending\*\*/);
    assert.match(hover, /- walrus/);
    assert.match(hover, /ACTIONS/);
    assert.doesNotMatch(hoverMarkdown(second, "ACTIONS"), /ACTIONS/);
  });

  it("a region ending at column 0 does not hold that line", () => {
    assert.ok(containsLine(first, 8) && containsLine(first, 20));
    assert.ok(!containsLine(first, 21) && !containsLine(first, 7));
  });
});
