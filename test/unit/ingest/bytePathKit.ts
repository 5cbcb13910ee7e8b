/**
 * Helpers of the byte-path differential tests (byte-path*.test.ts): parse a log through a reader with or without
 * its byte path (`asciiLine`), in chunks, counting the lines the byte path took; compare results as plain data.
 */
import assert from 'node:assert/strict';
import { LineFeeder } from '../../../src/ingest/lineFeeder';
import type { LineParser, TextReader } from '../../../src/ingest/reader';
import type { ParseResult } from '../../../src/ingest/types';

/** Parses `bytes` with `reader`, in chunks, with or without its byte path; counts the lines the byte path took. */
export function parseWith(
  reader: TextReader,
  file: string,
  bytes: Buffer,
  withBytes: boolean,
  chunk = 1 << 20,
  maxLine?: number,
): { r: ParseResult; taken: number } {
  const p = reader.create(file);
  assert.equal(typeof p.asciiLine, 'function', `${reader.format} offers a byte path`);
  let taken = 0;
  const parser: LineParser = withBytes
    ? {
        line: (t, n) => p.line(t, n),
        asciiLine: (b, s, l, n) => {
          const e = p.asciiLine!(b, s, l, n);
          if (e >= 0) taken++;
          return e;
        },
        result: () => p.result(),
      }
    : { line: (t, n) => p.line(t, n), result: () => p.result() };
  const f = new LineFeeder(file, parser, maxLine);
  for (let i = 0; i < bytes.length; i += chunk) f.push(bytes.subarray(i, i + chunk));
  f.flush();
  const r = parser.result();
  return { r: { runs: r.runs, diagnostics: [...f.diagnostics, ...r.diagnostics] } as ParseResult, taken };
}

/** Plain data for deepStrictEqual (NaN and -0 compared with Object.is). */
export function plain(r: ParseResult): unknown {
  return {
    runs: r.runs.map((run) => ({
      id: run.id,
      meta: run.meta,
      metrics: Object.entries(run.metrics).map(([k, s]) => [
        k,
        s.originalName,
        Array.from(s.step),
        Array.from(s.value),
        s.time && Array.from(s.time),
      ]),
    })),
    diagnostics: r.diagnostics,
  };
}

/** Points over every series of every run. */
export function points(r: ParseResult): number {
  let n = 0;
  for (const run of r.runs) for (const s of Object.values(run.metrics)) n += s.step.length;
  return n;
}
