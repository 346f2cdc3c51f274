import * as assert from "node:assert/strict";
import { DEFAULT_TRACKING, DocumentChange, InsertionClassifier, TextChange, Verdict, insertedRanges } from "../src/insertions";

const URI = "file:///repo/app.py";

/** A change as VS Code reports it: a range of the document before the event, and new text. */
function edit(startLine: number, startChar: number, endLine: number, endChar: number, text: string, rangeOffset = startLine * 1000 + startChar): TextChange {
  const rangeLength = endLine === startLine ? endChar - startChar : (endLine - startLine) * 10 + endChar;
  return { range: { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } }, rangeOffset, rangeLength, text };
}

function change(changes: TextChange[], extra: Partial<DocumentChange> = {}): DocumentChange {
  return { uri: URI, version: 7, changes, at: 10_000, active: true, visible: true, ...extra };
}

function insertion(verdict: Verdict) {
  assert.equal(verdict.kind, "insertion", `expected an insertion, got ${JSON.stringify(verdict)}`);
  return verdict as Extract<Verdict, { kind: "insertion" }>;
}

const BLOCK = "def total(items):\n    return sum(items)\n";

describe("the insertion classifier", () => {
  let classifier: InsertionClassifier;
  beforeEach(() => {
    classifier = new InsertionClassifier({ ...DEFAULT_TRACKING });
  });

  describe("typing", () => {
    it("is never an insertion: single keys, auto-closed pairs, Enter with indentation", () => {
      classifier.noteInteraction(URI, 9_900);
      for (const text of ["x", "()", "\n    ", "\r\n\t"]) {
        assert.deepEqual(classifier.classify(change([edit(3, 4, 3, 4, text)])), { kind: "none", why: "typing" });
      }
    });

    it("with several cursors is typing too", () => {
      const verdict = classifier.classify(change([edit(5, 0, 5, 0, "#", 50), edit(2, 0, 2, 0, "#", 20), edit(1, 0, 1, 0, "#", 10)]));
      assert.deepEqual(verdict, { kind: "none", why: "typing" });
    });

    it("counts as the developer's interaction, so a block inserted right after it is theirs (a snippet)", () => {
      classifier.classify(change([edit(3, 4, 3, 4, "x")], { at: 10_000 }));
      const verdict = classifier.classify(change([edit(4, 0, 4, 0, BLOCK)], { at: 10_400 }));
      assert.equal(verdict.kind, "paste-candidate");
      assert.deepEqual((verdict as Extract<Verdict, { kind: "paste-candidate" }>).otherwise, { kind: "none", why: "yours" });
    });

    it("deleting is not an insertion", () => {
      assert.deepEqual(classifier.classify(change([edit(3, 0, 9, 0, "")])), { kind: "none", why: "deletion" });
    });
  });

  describe("accepting an inline completion", () => {
    it("reports the exact inserted range with the provider's name", () => {
      classifier.beginAccept({ uri: URI, at: 9_990, tool: "Fixture Assistant", lines: new Map([[4, "    "]]) });
      classifier.finishAccept(URI, 9_995);
      const verdict = insertion(classifier.classify(change([edit(4, 4, 4, 4, "result = sum(items)\n    return result")])));
      assert.equal(verdict.source, "inline-completion");
      assert.equal(verdict.tool, "Fixture Assistant");
      assert.deepEqual(verdict.insertions.map((i) => i.range), [{ start: { line: 4, character: 4 }, end: { line: 5, character: 17 } }]);
    });

    it("leaves out the prefix the developer had typed before accepting", () => {
      classifier.beginAccept({ uri: URI, at: 9_990, lines: new Map([[2, "def ad"]]) });
      const verdict = insertion(classifier.classify(change([edit(2, 0, 2, 6, "def add(a, b):\n    return a + b")])));
      assert.deepEqual(verdict.insertions[0].range, { start: { line: 2, character: 6 }, end: { line: 3, character: 16 } });
      assert.equal(verdict.insertions[0].text, "d(a, b):\n    return a + b");
    });

    it("starts where the code starts: after the line break and indentation it inserts", () => {
      classifier.beginAccept({ uri: URI, at: 9_990, lines: new Map([[7, "def total_price(items):"]]) });
      const verdict = insertion(classifier.classify(change([edit(7, 23, 7, 23, "\n    prices = [i.price for i in items]\n    return sum(prices)\n")])));
      assert.deepEqual(verdict.insertions[0].range, { start: { line: 8, character: 4 }, end: { line: 9, character: 22 } });
    });

    it("of only whitespace is nothing", () => {
      classifier.beginAccept({ uri: URI, at: 9_990, lines: new Map() });
      assert.equal(classifier.classify(change([edit(7, 0, 7, 0, "\n\n    ")])).kind, "none");
    });

    it("a one-line suggestion is an insertion too, however short", () => {
      classifier.beginAccept({ uri: URI, at: 9_990, lines: new Map([[0, ""]]) });
      const verdict = insertion(classifier.classify(change([edit(0, 0, 0, 0, "x")])));
      assert.deepEqual(verdict.insertions[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
    });

    it("with several cursors reports each inserted range where it lands", () => {
      classifier.beginAccept({ uri: URI, at: 9_990, lines: new Map() });
      // VS Code lists the later cursor first; both ranges are in the document before the event.
      const verdict = insertion(classifier.classify(change([edit(6, 0, 6, 0, "b = 2\nc = 3", 60), edit(1, 0, 1, 0, "a = 1\nz = 0", 10)])));
      assert.deepEqual(
        verdict.insertions.map((i) => i.range),
        [
          { start: { line: 7, character: 0 }, end: { line: 8, character: 5 } },
          { start: { line: 1, character: 0 }, end: { line: 2, character: 5 } },
        ],
      );
    });

    it("only claims the change that follows it, and only in time", () => {
      classifier.beginAccept({ uri: URI, at: 1_000, lines: new Map() });
      classifier.finishAccept(URI, 1_010);
      // no suggestion was showing: the next change, much later, is typing
      assert.deepEqual(classifier.classify(change([edit(0, 0, 0, 0, "x")], { at: 9_000 })), { kind: "none", why: "typing" });
      classifier.beginAccept({ uri: URI, at: 9_990, lines: new Map() });
      insertion(classifier.classify(change([edit(0, 0, 0, 0, "yy")])));
      assert.deepEqual(classifier.classify(change([edit(0, 0, 0, 0, "z")])), { kind: "none", why: "typing" });
    });

    it("in another document does not claim this one's change", () => {
      classifier.beginAccept({ uri: "file:///repo/other.py", at: 9_990, lines: new Map() });
      assert.deepEqual(classifier.classify(change([edit(0, 0, 0, 0, "x")])), { kind: "none", why: "typing" });
    });

    it("is not tracked when switched off", () => {
      classifier.options = { ...classifier.options, inlineCompletions: false };
      classifier.beginAccept({ uri: URI, at: 9_990, lines: new Map() });
      assert.deepEqual(classifier.classify(change([edit(0, 0, 0, 0, "x")])), { kind: "none", why: "typing" });
    });
  });

  describe("undo and redo", () => {
    it("are never insertions, even of a whole block while the user is away", () => {
      for (const reason of ["undo", "redo"] as const) {
        assert.deepEqual(classifier.classify(change([edit(4, 0, 4, 0, BLOCK)], { reason, active: false, visible: false })), {
          kind: "none",
          why: reason,
        });
      }
    });

    it("do not consume a pending accept", () => {
      classifier.beginAccept({ uri: URI, at: 9_990, lines: new Map() });
      classifier.classify(change([edit(0, 0, 0, 5, "")], { reason: "undo" }));
      assert.equal(classifier.classify(change([edit(0, 0, 0, 0, "x = 1")])).kind, "insertion");
    });
  });

  describe("pasting", () => {
    it("asks the clipboard about a block inserted in the focused editor", () => {
      classifier.noteInteraction(URI, 9_950);
      const verdict = classifier.classify(change([edit(4, 0, 4, 0, BLOCK)]));
      assert.equal(verdict.kind, "paste-candidate");
      const candidate = verdict as Extract<Verdict, { kind: "paste-candidate" }>;
      // the code pasted, without the final line break
      assert.deepEqual(candidate.insertions[0].range, { start: { line: 4, character: 0 }, end: { line: 5, character: 21 } });
      assert.ok(InsertionClassifier.isPaste(candidate.pasted, BLOCK));
      assert.ok(InsertionClassifier.isPaste(candidate.pasted, BLOCK.replace(/\n/g, "\r\n")));
      assert.ok(!InsertionClassifier.isPaste(candidate.pasted, "something else"));
      assert.ok(!InsertionClassifier.isPaste(candidate.pasted, ""));
    });

    it("of one line per cursor matches a multi-line clipboard spread over the cursors", () => {
      const verdict = classifier.classify(change([edit(1, 0, 1, 0, "alpha", 10), edit(2, 0, 2, 0, "beta", 20)]));
      const candidate = verdict as Extract<Verdict, { kind: "paste-candidate" }>;
      assert.ok(InsertionClassifier.isPaste(candidate.pasted, "alpha\nbeta\n"));
      assert.ok(InsertionClassifier.isPaste([candidate.pasted[0]], "alpha"));
      assert.ok(!InsertionClassifier.isPaste(candidate.pasted, "alpha"));
    });

    it("is not checked when switched off; a short single line is then nobody's business", () => {
      classifier.options = { ...classifier.options, pastes: false };
      assert.deepEqual(classifier.classify(change([edit(0, 0, 0, 0, "import os")])), { kind: "none", why: "small" });
    });
  });

  describe("a bulk edit from another extension", () => {
    it("in a visible document nobody is typing in is a chat edit", () => {
      classifier.noteInteraction(URI, 1_000);
      const verdict = classifier.classify(change([edit(4, 0, 4, 0, BLOCK)], { at: 10_000 }));
      const candidate = verdict as Extract<Verdict, { kind: "paste-candidate" }>;
      const edit_ = insertion(candidate.otherwise);
      assert.equal(edit_.source, "chat-edit");
    });

    it("in a document that is not on screen is an agent edit, with every range it inserted", () => {
      const verdict = insertion(
        classifier.classify(change([edit(20, 0, 22, 0, "x = 1\ny = 2\n", 200), edit(3, 0, 3, 0, "import os\nimport re\n", 30)], { active: false, visible: false })),
      );
      assert.equal(verdict.source, "agent-edit");
      assert.deepEqual(
        verdict.insertions.map((i) => i.range),
        [
          { start: { line: 22, character: 0 }, end: { line: 23, character: 5 } },
          { start: { line: 3, character: 0 }, end: { line: 4, character: 9 } },
        ],
      );
    });

    it("of a single line (a rename, an import fix) is not reported", () => {
      assert.deepEqual(classifier.classify(change([edit(3, 4, 3, 9, "renamed_variable")], { active: false })), { kind: "none", why: "small" });
    });

    it("during a save (format on save) is not reported", () => {
      classifier.beginSave(URI);
      assert.deepEqual(classifier.classify(change([edit(4, 0, 9, 0, BLOCK)], { active: false })), { kind: "none", why: "saving" });
      classifier.finishSave(URI);
      assert.equal(classifier.classify(change([edit(4, 0, 9, 0, BLOCK)], { active: false })).kind, "insertion");
    });

    it("is not tracked when switched off", () => {
      classifier.options = { ...classifier.options, foreignEdits: false };
      assert.deepEqual(classifier.classify(change([edit(4, 0, 4, 0, BLOCK)], { active: false })), { kind: "none", why: "small" });
    });
  });
});

describe("inserted ranges", () => {
  it("shift later changes on the same line by what earlier ones inserted", () => {
    const ranges = insertedRanges([edit(0, 10, 0, 12, "x", 10), edit(0, 2, 0, 4, "a\nbc", 2)]).map((i) => i.range);
    // "a\nbc" replaces 0:2-0:4 and ends at 1:2; the change at old 0:10 now starts at 1:(2+6)
    assert.deepEqual(ranges, [
      { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } },
      { start: { line: 0, character: 2 }, end: { line: 1, character: 2 } },
    ]);
  });

  it("count characters in UTF-16 code units, as VS Code does", () => {
    const [inserted] = insertedRanges([edit(0, 0, 0, 0, "s = '😀'")]);
    assert.deepEqual(inserted.range.end, { line: 0, character: 8 });
  });
});
