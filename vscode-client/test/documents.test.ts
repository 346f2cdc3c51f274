import * as assert from "node:assert/strict";
import { CELL_SCHEME, isFollowed, SELECTOR, sentCellVersions } from "../src/common/documents";

const document = (scheme: string, languageId: string) => ({ uri: { scheme }, languageId });

describe("followed documents", () => {
  it("are files in the server's languages", () => {
    for (const language of ["python", "typescript", "go", "rust", "java"]) assert.ok(isFollowed(document("file", language)), language);
    assert.ok(!isFollowed(document("file", "markdown")));
    assert.ok(!isFollowed(document("file", "plaintext")));
  });

  it("and Python notebook cells, as the server's notebook selector syncs them", () => {
    assert.ok(isFollowed(document(CELL_SCHEME, "python")));
    // the server's notebookSelector names Python cells only: nothing else reaches it
    assert.ok(!isFollowed(document(CELL_SCHEME, "markdown")));
    assert.ok(!isFollowed(document(CELL_SCHEME, "javascript")));
    assert.ok(!isFollowed(document(CELL_SCHEME, "r")));
  });

  it("but not documents the server cannot read from disk or store", () => {
    for (const scheme of ["untitled", "git", "output", "vscode-notebook-cell-output", "vscode-interactive-input"]) {
      assert.ok(!isFollowed(document(scheme, "python")), scheme);
    }
  });

  it("the selector the editor matches with says the same", () => {
    assert.ok(SELECTOR.some((filter) => filter.scheme === CELL_SCHEME && filter.language === "python"));
    for (const filter of SELECTOR) assert.ok(isFollowed(document(filter.scheme, filter.language)));
  });
});

describe("the cell versions a notebook change sends", () => {
  const cell = (uri: string, version: number) => ({ document: { uri, version } });

  it("are the cells whose text changed", () => {
    const change = { cells: { textContent: [cell("cell:a", 7), cell("cell:b", 2)] } };
    assert.deepEqual(sentCellVersions(change), [
      { uri: "cell:a", version: 7 },
      { uri: "cell:b", version: 2 },
    ]);
  });

  it("and the cells it opens (a cell added or made Python)", () => {
    const change = { cells: { structure: { didOpen: [cell("cell:new", 1)] }, textContent: [cell("cell:a", 3)] } };
    assert.deepEqual(
      sentCellVersions(change).map((sent) => sent.uri),
      ["cell:new", "cell:a"],
    );
  });

  it("and none for a change of metadata, outputs or a deleted cell", () => {
    assert.deepEqual(sentCellVersions({}), []);
    assert.deepEqual(sentCellVersions({ cells: { structure: {} } }), []);
  });
});
