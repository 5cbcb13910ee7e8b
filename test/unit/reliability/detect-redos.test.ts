/**
 * Catastrophic-backtracking guard for every registered reader: `detect` on 256 KiB sniffs (the wide sniff window)
 * and `LineParser.line` on 32 KiB lines made of one repeated pathological unit (blank lines, CRs, digits,
 * separators, half-signatures…). Regression for the O(n²) detectors found by fuzz-parsers.test.ts: megatron
 * (`^(?:\d+:)?\s*iteration` with /m: 2.1 s on 32 KiB of "\n", ~2 min on 256 KiB) and hf-stdout (`^\s*\*{5}`
 * and `\d+\/\d+ \[`: 1.5 s on 32 KiB of digits). Bound: 500 ms per reader and input (linear code takes < 20 ms).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { READERS } from '../../../src/ingest/registry';
import { makeSniff, WIDE_SNIFF_BYTES } from '../../../src/ingest/incremental';

const UNITS = [
  '\n',
  ' \n',
  '1\n',
  '\r',
  '\r\n',
  ' ',
  '\t',
  '1',
  '1 ',
  '1,',
  '1.',
  '1e',
  "{'",
  "{'a': ",
  "'a': 1, ",
  'iter ',
  'step ',
  'loss ',
  'loss: ',
  'loss=',
  '0: ',
  '0:',
  '| ',
  ' | ',
  '[',
  '1/',
  '1/1 ',
  '1:1<',
  '-',
  '=',
  'a=1 ',
  'a: 1, ',
  '"',
  '"a": 1, ',
  '{"a":',
  ':',
  'a',
  '*****',
  '%',
  'iter 1',
  'step 1',
  ',',
  ';',
  '\\',
  'e-',
  '.',
];
const BOUND_MS = 500;

test('detectors: no catastrophic backtracking on 256 KiB pathological sniffs', () => {
  const slow: string[] = [];
  for (const u of UNITS) {
    const text = u.repeat(Math.ceil(WIDE_SNIFF_BYTES / u.length)).slice(0, WIDE_SNIFF_BYTES);
    const sniff = makeSniff('/w/train.log', Buffer.from(text));
    for (const r of READERS) {
      const t0 = performance.now();
      r.detect(sniff);
      const ms = performance.now() - t0;
      if (ms > BOUND_MS) slow.push(`${r.format} on ${JSON.stringify(u)}×: ${ms.toFixed(0)} ms`);
    }
  }
  assert.deepEqual(slow, []);
});

test('line parsers: no catastrophic backtracking on 32 KiB pathological lines', () => {
  const slow: string[] = [];
  for (const u of UNITS) {
    const line = u
      .replace(/\n/g, ' ')
      .repeat(Math.ceil(32768 / u.length))
      .slice(0, 32768);
    for (const r of READERS) {
      if (r.kind !== 'text') continue;
      const p = r.create('/w/train.log');
      const t0 = performance.now();
      for (const l of [line, line + 'x', 'x' + line]) p.line(l, 1);
      p.result();
      const ms = performance.now() - t0;
      if (ms > BOUND_MS) slow.push(`${r.format} on ${JSON.stringify(u)}×: ${ms.toFixed(0)} ms`);
    }
  }
  assert.deepEqual(slow, []);
});
