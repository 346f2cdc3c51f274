/**
 * Foreign regions as the server describes them in its diagnostics (lsp/convert.py): one
 * `foreign-region` diagnostic per region, and one diagnostic per unfamiliar construct or
 * convention deviation inside it, tied to the region by `data.regionId` (`DiagnosticData`, generated
 * from the server's lsp/wire.py).
 *
 * Pure (no `vscode` import): the views (decorations, CodeLens, hover) and the test probe all
 * read regions from here.
 */
import type { DiagnosticData, ForeignRegionData } from "./common/wire";
import type { Range } from "./insertions";

export type RegionState = "pending" | "understood" | "waived" | string;

export interface ServerDiagnostic {
  range: Range;
  message: string;
  source?: string;
  code?: string | number | { value: string | number };
  data?: unknown;
}

export interface ForeignRegion {
  id: string;
  range: Range;
  state: RegionState;
  source: string;
  tool?: string;
  lines: number;
  message: string;
  unfamiliar: string[]; // messages of the unfamiliar-construct diagnostics inside it
  conventions: string[]; // messages of the convention-deviation diagnostics inside it
  others: string[]; // any further finding the server ties to the region
}

const ORIGINS: Record<string, string> = {
  "inline-completion": "AI-inserted",
  "chat-edit": "AI-inserted (chat)",
  "agent-edit": "AI-inserted (agent)",
  git: "AI-assisted commit",
  paste: "Pasted",
  burst: "Inserted at once",
  manual: "Marked not mine",
  unknown: "Foreign",
};

export function regionsFrom(diagnostics: readonly ServerDiagnostic[]): ForeignRegion[] {
  const regions = new Map<string, ForeignRegion>();
  for (const diagnostic of diagnostics) {
    const data = dataOf(diagnostic) as Partial<ForeignRegionData> | undefined;
    if (data?.kind !== "foreign-region" || typeof data.regionId !== "string") continue;
    regions.set(data.regionId, {
      id: data.regionId,
      range: diagnostic.range,
      state: String(data.state ?? "pending"),
      source: String(data.source ?? "unknown"),
      tool: typeof data.tool === "string" && data.tool ? data.tool : undefined,
      lines: typeof data.lines === "number" ? data.lines : diagnostic.range.end.line - diagnostic.range.start.line + 1,
      message: diagnostic.message,
      unfamiliar: [],
      conventions: [],
      others: [],
    });
  }
  for (const diagnostic of diagnostics) {
    const data = dataOf(diagnostic);
    if (!data || data.kind === "foreign-region") continue;
    const region = typeof data.regionId === "string" ? regions.get(data.regionId) : undefined;
    if (!region) continue;
    if (data.kind === "unfamiliar") region.unfamiliar.push(diagnostic.message);
    else if (data.kind === "convention") region.conventions.push(diagnostic.message);
    else region.others.push(diagnostic.message);
  }
  return [...regions.values()].sort((a, b) => a.range.start.line - b.range.start.line);
}

export function originOf(region: ForeignRegion): string {
  return ORIGINS[region.source] ?? ORIGINS.unknown;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** "AI-inserted · 14 lines · 2 unfamiliar constructs": the first part of the CodeLens. */
export function lensTitle(region: ForeignRegion): string {
  const parts = [originOf(region), plural(region.lines, "line")];
  if (region.unfamiliar.length > 0) parts.push(plural(region.unfamiliar.length, "unfamiliar construct"));
  if (region.conventions.length > 0) parts.push(plural(region.conventions.length, "convention deviation"));
  if (region.state === "waived") parts.push("waived (debt)");
  if (region.state === "understood") parts.push("understood");
  return parts.join(" · ");
}

/** The hover: where the code came from, its state, and what in it is unfamiliar. */
export function hoverMarkdown(region: ForeignRegion, actions: string): string {
  const by = region.tool ? ` by ${region.tool}` : "";
  const lines = [`**mindgap** · ${originOf(region)}${by} (\`${region.source}\`) · ${plural(region.lines, "line")} · **${region.state}**`, ""];
  for (const [title, items] of [
    ["Unfamiliar to you", region.unfamiliar],
    ["Departs from this repository's conventions", region.conventions],
    ["Also", region.others],
  ] as const) {
    if (items.length === 0) continue;
    lines.push(`${title}:`, ...items.map((item) => `- ${item}`), "");
  }
  if (region.state === "pending") lines.push(actions);
  return lines.join("\n");
}

export function containsLine(region: ForeignRegion, line: number): boolean {
  const { start, end } = region.range;
  // a region ending at column 0 does not hold that line
  return start.line <= line && (line < end.line || (line === end.line && (end.character > 0 || end.line === start.line)));
}

/** The `data` of a mindgap diagnostic; undefined for any other. */
function dataOf(diagnostic: ServerDiagnostic): DiagnosticData | undefined {
  const data = diagnostic.data;
  return diagnostic.source === "mindgap" && data && typeof data === "object" ? (data as DiagnosticData) : undefined;
}
