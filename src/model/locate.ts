/**
 * Maps between log lines and points, for text formats, using the format's own line parser (so it is right for
 * every format we read, multi-line blocks included):
 *  - `pointsOnLine`: which metric values the hovered line carries (parses a small window ending at the line
 *    and reports the series that grew on the last line);
 *  - `linesOfPoints`: the 1-based line numbers of given point indices of a series (one pass over the text);
 *  - `offsetsOfPoints`: for binary logs (TensorBoard event files), the byte offset of the record each point came
 *    from (a binary log has no lines: Problems name the record instead of pointing at line 1).
 * Pure (no `vscode`).
 */
import type { BinaryReader, TextReader } from '../ingest/reader';
import type { ParseResult } from '../ingest/types';

export interface LinePoint {
  metric: string;
  originalName: string;
  step: number;
  value: number;
}

function lengths(r: ParseResult): Map<string, number> {
  const m = new Map<string, number>();
  for (const run of r.runs) for (const [k, s] of Object.entries(run.metrics)) m.set(`${run.id}\0${k}`, s.step.length);
  return m;
}

/** Lines before the hovered one fed first, so multi-line records (OLMo blocks) and headers (CSV) resolve. */
export const CONTEXT_LINES = 64;

/**
 * The points parsed from line `lineNo` (1-based) of `lines` (the document's lines, 0-based array).
 * For formats with a header (CSV), line 1 is always fed first.
 */
export function pointsOnLine(
  reader: TextReader,
  path: string,
  lines: (i: number) => string,
  lineNo: number,
): LinePoint[] {
  try {
    const parser = reader.create(path);
    const start = Math.max(1, lineNo - CONTEXT_LINES);
    if (start > 1) parser.line(lines(0), 1);
    for (let n = start; n < lineNo; n++) parser.line(lines(n - 1), n);
    const before = lengths(parser.result());
    parser.line(lines(lineNo - 1), lineNo);
    const out: LinePoint[] = [];
    for (const run of parser.result().runs) {
      for (const [k, s] of Object.entries(run.metrics)) {
        const had = before.get(`${run.id}\0${k}`) ?? 0;
        for (let i = had; i < s.step.length; i++)
          out.push({ metric: k, originalName: s.originalName, step: s.step[i], value: s.value[i] });
      }
    }
    return out;
  } catch {
    return [];
  }
}

/**
 * Line numbers (1-based) at which the points `indices` of series `metric` (of the run with `runId`, or the
 * first run) were produced, reading `text` once. Unfound indices are absent from the map.
 */
export function linesOfPoints(
  reader: TextReader,
  path: string,
  text: string,
  metric: string,
  indices: number[],
  runId?: string,
): Map<number, number> {
  const want = [...new Set(indices)].sort((a, b) => a - b);
  const found = new Map<number, number>();
  if (!want.length) return found;
  try {
    const parser = reader.create(path);
    let k = 0,
      lineNo = 0,
      pos = 0;
    while (pos <= text.length && k < want.length) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = text.length;
      let line = text.slice(pos, end);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      lineNo++;
      parser.line(line, lineNo);
      const runs = parser.result().runs;
      const run = runId ? (runs.find((r) => r.id === runId) ?? runs[0]) : runs[0];
      const n = run?.metrics[metric]?.step.length ?? 0;
      while (k < want.length && want[k] < n) found.set(want[k++], lineNo);
      pos = end + 1;
    }
  } catch {
    /* partial map */
  }
  return found;
}

/**
 * Byte offsets of the records that produced points `indices` of series `metric`, for a binary format: the bytes
 * are fed one record at a time (a window from 16 bytes, grown by a quarter until the parser consumes a record,
 * so it rarely holds a second whole one), and each point is attributed to the record being fed when it
 * appeared. Unfound indices are absent from the map.
 */
export function offsetsOfPoints(
  reader: BinaryReader,
  path: string,
  bytes: Uint8Array,
  metric: string,
  indices: number[],
  runId?: string,
): Map<number, number> {
  const want = [...new Set(indices)].sort((a, b) => a - b);
  const found = new Map<number, number>();
  if (!want.length) return found;
  try {
    const parser = reader.create(path);
    let pos = 0,
      win = 16,
      k = 0;
    while (pos < bytes.length && k < want.length) {
      const end = Math.min(bytes.length, pos + win);
      const used = parser.feed(bytes.subarray(pos, end), pos);
      if (used <= 0) {
        if (end >= bytes.length) break; // an incomplete last record
        win = Math.ceil(win * 1.25);
        continue;
      }
      const runs = parser.result().runs;
      const run = runId ? (runs.find((r) => r.id === runId) ?? runs[0]) : runs[0];
      const n = run?.metrics[metric]?.step.length ?? 0;
      while (k < want.length && want[k] < n) found.set(want[k++], pos);
      pos += used;
      win = 16;
    }
  } catch {
    /* partial map */
  }
  return found;
}
