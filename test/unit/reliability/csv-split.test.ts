/**
 * Regression (found by fuzz-parsers.test.ts, deep-JSON mutation forced through the CSV readers): splitCsvLine
 * called cell.trim() at every quote outside a quoted cell, O(n²) on a long line full of quotes — a 240 KB line
 * of `{"a":` took 15 s in the csv/points-table/lightning-csv readers (1 MiB lines are accepted: minutes).
 * Also checks, on 20,000 random lines, that the fix splits exactly like the previous implementation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitCsvLine } from '../../../src/ingest/csvUtil';
import { Rng, seedFor, superlinear } from './util';

/** The implementation before the fix (reference semantics). */
function reference(line: string, delim: string): string[] {
  if (line.indexOf('"') < 0) return line.split(delim).map((c) => c.trim());
  const out: string[] = [];
  let cell = '';
  let inQ = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inQ) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQ = false;
      } else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      inQ = true;
      cell = '';
    } else if (ch === delim) {
      out.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  out.push(cell.trim());
  return out;
}

test('splitCsvLine: linear on a long line full of quotes', () => {
  const line = '{"a":'.repeat(200_000); // 1 MB, no delimiter
  assert.equal(splitCsvLine(line, ',').length, 1);
  // growth, not a time bound: a loaded machine can stall any one run, but not make linear work grow 16×
  const slow = superlinear((units) => {
    const l = '{"a":'.repeat(units);
    return () => splitCsvLine(l, ',');
  }, 200_000);
  assert.equal(slow, null);
});

test('splitCsvLine: same cells as the reference implementation on random lines', () => {
  const seed = seedFor(0xc5c5);
  const rng = new Rng(seed);
  const alphabet = ['"', '"', ',', '\t', ' ', '\u00a0', '\u2028', 'a', '1', '.', '""', '\r', '\ufeff'];
  for (let n = 0; n < 20_000; n++) {
    const line = Array.from({ length: rng.int(0, 40) }, () => rng.pick(alphabet)).join('');
    const delim = rng.pick([',', '\t', ';']);
    assert.deepEqual(
      splitCsvLine(line, delim as ','),
      reference(line, delim),
      `line ${JSON.stringify(line)} delim ${JSON.stringify(delim)} seed=${seed}`,
    );
  }
});
