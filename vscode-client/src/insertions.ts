/**
 * Which document changes are insertions the developer did not type, and where they landed.
 *
 * Pure logic, no `vscode` import, so that every case (typing, paste, an accepted completion,
 * undo and redo, several cursors, a bulk edit from another extension) is unit-tested in node.
 * The extension feeds it what VS Code reports and sends `mindgap/didInsert` for its verdicts.
 */

export interface Position {
  line: number;
  character: number; // UTF-16 code units, as VS Code and the LSP default count them
}

export interface Range {
  start: Position;
  end: Position;
}

/** One entry of a change event's `contentChanges`: a range of the document before the event. */
export interface TextChange {
  range: Range;
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export type InsertionSource = "inline-completion" | "paste" | "chat-edit" | "agent-edit";

export interface DocumentChange {
  uri: string;
  version: number; // the document's version after the change
  reason?: "undo" | "redo";
  changes: readonly TextChange[];
  at: number; // milliseconds, any monotonic clock
  active: boolean; // the document is in the focused editor
  visible: boolean; // the document is shown in some editor
}

/** What a report names: a range of the document after the change, and its text. */
export interface Insertion {
  range: Range;
  text: string;
}

export type Verdict =
  | { kind: "none"; why: "undo" | "redo" | "deletion" | "typing" | "saving" | "small" | "yours" }
  | { kind: "insertion"; source: InsertionSource; tool?: string; insertions: Insertion[] }
  /** Decided by the clipboard, which only the editor can read (asynchronously): a paste when
   * it holds the inserted text, otherwise `otherwise`. */
  | { kind: "paste-candidate"; insertions: Insertion[]; pasted: string[]; otherwise: Verdict };

export interface TrackingOptions {
  inlineCompletions: boolean;
  pastes: boolean;
  foreignEdits: boolean;
  quietMilliseconds: number; // a change this long after the last interaction is not the user's
  minLines: number; // a foreign edit inserts at least this many lines
  acceptWindowMilliseconds: number; // how long an accept waits for its change event
}

export const DEFAULT_TRACKING: TrackingOptions = {
  inlineCompletions: true,
  pastes: true,
  foreignEdits: true,
  quietMilliseconds: 1500,
  minLines: 2,
  acceptWindowMilliseconds: 1000,
};

/** The document as it was when the accept command ran: the text of each cursor's line, to
 * tell the prefix the developer had typed from what the suggestion added. */
export interface AcceptStarted {
  uri: string;
  at: number;
  tool?: string;
  lines: ReadonlyMap<number, string>;
}

interface PendingAccept extends AcceptStarted {
  finishedAt?: number;
}

export class InsertionClassifier {
  private readonly accepts = new Map<string, PendingAccept>();
  private readonly lastInteraction = new Map<string, number>();
  private readonly saving = new Set<string>();

  constructor(public options: TrackingOptions = DEFAULT_TRACKING) {}

  /** The accept wrapper is about to run the real accept command in this document. */
  beginAccept(accept: AcceptStarted): void {
    this.accepts.set(accept.uri, { ...accept });
  }

  /** The real accept command returned; its change may still be on its way. */
  finishAccept(uri: string, at: number): void {
    const pending = this.accepts.get(uri);
    if (pending) pending.finishedAt = at;
  }

  /** The developer moved the cursor or typed in this document. */
  noteInteraction(uri: string, at: number): void {
    this.lastInteraction.set(uri, at);
  }

  /** Format-on-save and other save participants rewrite the document: not insertions. */
  beginSave(uri: string): void {
    this.saving.add(uri);
  }

  finishSave(uri: string): void {
    this.saving.delete(uri);
  }

  forget(uri: string): void {
    this.accepts.delete(uri);
    this.lastInteraction.delete(uri);
    this.saving.delete(uri);
  }

  classify(change: DocumentChange): Verdict {
    // Undo and redo restore text that was there before: never a new insertion.
    if (change.reason === "undo" || change.reason === "redo") return { kind: "none", why: change.reason };
    const accept = this.takeAccept(change.uri, change.at);
    const inserting = change.changes.filter((c) => c.text.length > 0);
    if (inserting.length === 0) {
      if (change.active) this.noteInteraction(change.uri, change.at);
      return { kind: "none", why: "deletion" };
    }
    if (accept && this.options.inlineCompletions) {
      const insertions = insertedRanges(change.changes)
        .map((insertion, i) => trimmed(withoutTypedPrefix(insertion, change.changes[i], accept.lines)))
        .filter((insertion): insertion is Insertion => insertion !== undefined);
      if (insertions.length > 0) {
        return { kind: "insertion", source: "inline-completion", tool: accept.tool, insertions };
      }
    }
    if (isTyping(change.changes)) {
      if (change.active) this.noteInteraction(change.uri, change.at);
      return { kind: "none", why: "typing" };
    }
    if (this.saving.has(change.uri)) return { kind: "none", why: "saving" };
    const inserted = insertedRanges(change.changes).filter((i) => i.text.length > 0);
    const insertions = inserted.map(trimmed).filter((i): i is Insertion => i !== undefined);
    if (insertions.length === 0) return { kind: "none", why: "small" };
    const otherwise = this.foreignEdit(change, insertions);
    // the clipboard holds the text as inserted, whitespace and all
    if (this.options.pastes && change.active) return { kind: "paste-candidate", insertions, pasted: inserted.map((i) => i.text), otherwise };
    return otherwise;
  }

  /** Whether the clipboard holds what a paste candidate inserted: the same text at each
   * cursor, or one line of it per cursor (VS Code spreads a multi-line clipboard that way). */
  static isPaste(pasted: readonly string[], clipboard: string): boolean {
    const copied = normalizeNewlines(clipboard);
    if (copied.length === 0 || pasted.length === 0) return false;
    const texts = pasted.map(normalizeNewlines);
    if (texts.every((text) => text === copied)) return true;
    const lines = copied.replace(/\n$/, "").split("\n");
    return lines.length === texts.length && lines.every((line, i) => texts[i] === line);
  }

  private foreignEdit(change: DocumentChange, insertions: Insertion[]): Verdict {
    if (!this.options.foreignEdits) return { kind: "none", why: "small" };
    const lines = insertions.reduce((sum, i) => sum + i.range.end.line - i.range.start.line + 1, 0);
    const multiLine = insertions.some((i) => i.range.end.line > i.range.start.line);
    if (!multiLine || lines < this.options.minLines) return { kind: "none", why: "small" };
    const last = this.lastInteraction.get(change.uri);
    const typingHere = change.active && last !== undefined && change.at - last < this.options.quietMilliseconds;
    if (typingHere) return { kind: "none", why: "yours" };
    // On screen: applied from a chat into an open editor; off screen: an agent's tool edit.
    return { kind: "insertion", source: change.visible ? "chat-edit" : "agent-edit", insertions };
  }

  private takeAccept(uri: string, at: number): PendingAccept | undefined {
    const pending = this.accepts.get(uri);
    if (!pending) return undefined;
    this.accepts.delete(uri);
    const since = pending.finishedAt ?? pending.at;
    return at - since <= this.options.acceptWindowMilliseconds ? pending : undefined;
  }
}

/** Typing: each change inserts at most two characters on one line (a key, or an auto-closed
 * pair), or a line break followed by indentation (Enter). Several cursors type the same way. */
export function isTyping(changes: readonly TextChange[]): boolean {
  return changes.every((c) => {
    if (c.text.length <= 2 && !/[\r\n]/.test(c.text)) return true;
    return /^(\r\n|\r|\n)[ \t]*$/.test(c.text);
  });
}

/** Where each change's text lies in the document after the event. VS Code gives every range
 * in the document before the event, so earlier changes shift later ones. */
export function insertedRanges(changes: readonly TextChange[]): Insertion[] {
  const order = changes.map((change, index) => ({ change, index })).sort((a, b) => a.change.rangeOffset - b.change.rangeOffset);
  const result: Insertion[] = new Array(changes.length);
  let lineDelta = 0;
  let previousOldEnd: Position | undefined;
  let previousNewEnd: Position | undefined;
  for (const { change, index } of order) {
    const { start, end } = change.range;
    let character = start.character;
    if (previousOldEnd && previousNewEnd && previousOldEnd.line === start.line) {
      character = previousNewEnd.character + (start.character - previousOldEnd.character);
    }
    const newStart = { line: start.line + lineDelta, character };
    const newEnd = endAfter(newStart, change.text);
    result[index] = { range: { start: newStart, end: newEnd }, text: change.text };
    lineDelta += newEnd.line - newStart.line - (end.line - start.line);
    previousOldEnd = end;
    previousNewEnd = newEnd;
  }
  return result;
}

export function endAfter(start: Position, text: string): Position {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length === 1) return { line: start.line, character: start.character + text.length };
  return { line: start.line + lines.length - 1, character: lines[lines.length - 1].length };
}

/** An accepted suggestion replaces what the developer had typed of it: that prefix is theirs. */
function withoutTypedPrefix(insertion: Insertion, change: TextChange, lines: ReadonlyMap<number, string>): Insertion {
  const { start, end } = change.range;
  const lineText = lines.get(start.line);
  if (start.line !== end.line || lineText === undefined) return insertion;
  const replaced = lineText.slice(start.character, end.character);
  let common = 0;
  while (common < replaced.length && common < insertion.text.length && replaced[common] === insertion.text[common] && insertion.text[common] !== "\n" && insertion.text[common] !== "\r") {
    common++;
  }
  if (common === 0) return insertion;
  const from = { line: insertion.range.start.line, character: insertion.range.start.character + common };
  return { range: { start: from, end: insertion.range.end }, text: insertion.text.slice(common) };
}

/** The insertion without its leading and trailing whitespace: a suggestion that starts with
 * a line break and indentation begins, as code, on the next line. */
export function trimmed(insertion: Insertion): Insertion | undefined {
  const text = insertion.text;
  const code = text.trim();
  if (code.length === 0) return undefined;
  const leading = text.slice(0, text.length - text.trimStart().length);
  const start = endAfter(insertion.range.start, leading);
  return { range: { start, end: endAfter(start, code) }, text: code };
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** Lines a verdict's insertions cover, for logs and the status bar. */
export function linesOf(insertions: readonly Insertion[]): number {
  return insertions.reduce((sum, i) => sum + i.range.end.line - i.range.start.line + 1, 0);
}
