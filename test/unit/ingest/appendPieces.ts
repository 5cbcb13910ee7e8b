// Shared by the encoding tests: a parse result as plain (step, value) pairs, and a file grown in odd-sized pieces
// that split multi-byte characters (UTF-16 code units, GBK pairs, UTF-8 sequences) across polls.
import * as fs from 'node:fs';
import type { LogFile } from '../../../src/ingest/incremental';
import type { ParseResult } from '../../../src/ingest/types';

export function points(r: ParseResult): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const run of r.runs)
    for (const [k, s] of Object.entries(run.metrics))
      out[k] = Array.from(s.step, (x, i): [number, number] => [x, s.value[i]]);
  return out;
}

/**
 * Appends `bytes` from offset `from` to `file` in pieces of 1, 3, 7, 13, 64 and 333 bytes, polling `lf` after
 * each piece; `afterPoll(at, poll)` checks the state with `at` bytes written.
 */
export async function appendInPieces(
  file: string,
  bytes: Buffer,
  from: number,
  lf: LogFile,
  afterPoll: (at: number, poll: Awaited<ReturnType<LogFile['poll']>>) => void,
): Promise<void> {
  let at = from;
  for (let k = 0; at < bytes.length; k++) {
    const step = [1, 3, 7, 13, 64, 333][k % 6];
    fs.appendFileSync(file, bytes.subarray(at, at + step));
    at += step;
    afterPoll(at, await lf.poll());
  }
}
