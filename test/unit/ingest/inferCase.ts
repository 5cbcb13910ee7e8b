/** Helpers of the general reader's synthetic cases (inferred*.test.ts): parse a text, take its one run, read a series. */
import assert from 'node:assert/strict';
import { parseBytes, parseText } from '../../../src/ingest/incremental';
import type { ParseResult, Run } from '../../../src/ingest/types';

/** Parses a text (string path) or bytes (byte path) as the file `/tmp/<name>`. */
export async function parse(text: string | Buffer, name = 'x.log'): Promise<ParseResult> {
  return typeof text === 'string' ? parseText(`/tmp/${name}`, text) : parseBytes(`/tmp/${name}`, text);
}

/** The one run of a result (fails with its diagnostics otherwise). */
export function one(r: ParseResult): Run {
  assert.equal(r.runs.length, 1, `one run expected; diagnostics: ${r.diagnostics.map((d) => d.message).join(' | ')}`);
  return r.runs[0];
}

/** A series of the run as plain arrays (fails, naming the run's series, when it has none of that name). */
export const pts = (run: Run, name: string) => {
  const s = run.metrics[name];
  assert.ok(s, `no ${name} in ${Object.keys(run.metrics).join(', ')}`);
  return { step: Array.from(s.step), value: Array.from(s.value) };
};

/** Lines joined with a final newline. */
export const lines = (...xs: string[]) => xs.join('\n') + '\n';
