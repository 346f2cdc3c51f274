/**
 * Which documents mindgap follows: files in the languages the server parses, and the Python
 * cells of notebooks (which vscode-languageclient sends through LSP notebook sync, as the
 * server's `notebookDocumentSync` asks). Pure, so that the rules are unit-tested; the
 * extension's features (insertion reports, CodeLens, hovers) and the client use them.
 */

/** Languages the server parses (server/mindgap/syntax). */
export const FILE_LANGUAGES = ["python", "javascript", "javascriptreact", "typescript", "typescriptreact", "go", "rust", "java"];

/** The URI scheme of a notebook cell's document in VS Code. */
export const CELL_SCHEME = "vscode-notebook-cell";

/** The cell languages in the server's notebook selector (server/mindgap/lsp/notebooks.py,
 * NOTEBOOK_SYNC): other cells are never sent to the server, so nothing is reported for them. */
export const CELL_LANGUAGES = ["python"];

export interface DocumentFilter {
  scheme: string;
  language: string;
}

/** The documents of the client and of the extension's own features: a `DocumentSelector`. */
export const SELECTOR: DocumentFilter[] = [
  ...FILE_LANGUAGES.map((language) => ({ scheme: "file", language })),
  ...CELL_LANGUAGES.map((language) => ({ scheme: CELL_SCHEME, language })),
];

/** Whether a document is one of `SELECTOR`'s (what `vscode.languages.match` says for them). */
export function isFollowed(document: { uri: { scheme: string }; languageId: string }): boolean {
  return SELECTOR.some((filter) => filter.scheme === document.uri.scheme && filter.language === document.languageId);
}

interface CellDocument<U> {
  uri: U;
  version: number;
}

/** What vscode-languageclient's notebook `didChange` middleware gets (VNotebookDocumentChangeEvent),
 * as far as document versions go. */
export interface NotebookChange<U> {
  cells?: {
    structure?: { didOpen?: { document: CellDocument<U> }[] };
    textContent?: { document: CellDocument<U> }[];
  };
}

/** The cell document versions a notebook change sends to the server: the cells it opens and the
 * cells whose text it changes. Read before the change goes out (typing moves versions on). */
export function sentCellVersions<U>(change: NotebookChange<U>): { uri: U; version: number }[] {
  const opened = change.cells?.structure?.didOpen ?? [];
  const edited = change.cells?.textContent ?? [];
  return [...opened, ...edited].map(({ document }) => ({ uri: document.uri, version: document.version }));
}
