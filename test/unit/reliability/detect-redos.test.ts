/**
 * Catastrophic-backtracking guard for every registered reader: `detect` on 256 KiB sniffs (the wide sniff window)
 * and `LineParser.line` on 32 KiB lines made of one repeated pathological unit (blank lines, CRs, digits,
 * separators, half-signatures…). Regression for the O(n²) detectors found by fuzz-parsers.test.ts: megatron
 * (`^(?:\d+:)?\s*iteration` with /m: 2.1 s on 32 KiB of "\n", ~2 min on 256 KiB) and hf-stdout (`^\s*\*{5}`
 * and `\d+\/\d+ \[`: 1.5 s on 32 KiB of digits). A reader fails when its work is slow (over 50 ms, where linear code
 * takes < 20 ms) AND grows super-linearly (more than 8× from a quarter of the input to all of it; util.ts
 * `superlinear`): a time bound alone failed on a loaded machine (keras-csv, 555 ms once on 256 KiB of "\n").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { READERS } from '../../../src/ingest/registry';
import { makeSniff, WIDE_SNIFF_BYTES } from '../../../src/ingest/incremental';
import { superlinear } from './util';

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

test('detectors: no catastrophic backtracking on 256 KiB pathological sniffs', () => {
  const slow: string[] = [];
  for (const u of UNITS) {
    for (const r of READERS) {
      const why = superlinear((bytes) => {
        const text = u.repeat(Math.ceil(bytes / u.length)).slice(0, bytes);
        const sniff = makeSniff('/w/train.log', Buffer.from(text));
        return () => r.detect(sniff);
      }, WIDE_SNIFF_BYTES);
      if (why) slow.push(`${r.format} on ${JSON.stringify(u)}×: ${why}`);
    }
  }
  assert.deepEqual(slow, []);
});

test('line parsers: no catastrophic backtracking on 32 KiB pathological lines', () => {
  const slow: string[] = [];
  for (const u of UNITS) {
    for (const r of READERS) {
      if (r.kind !== 'text') continue;
      const why = superlinear((bytes) => {
        const line = u
          .replace(/\n/g, ' ')
          .repeat(Math.ceil(bytes / u.length))
          .slice(0, bytes);
        return () => {
          const p = r.create('/w/train.log');
          for (const l of [line, line + 'x', 'x' + line]) p.line(l, 1);
          p.result();
        };
      }, 32768);
      if (why) slow.push(`${r.format} on ${JSON.stringify(u)}×: ${why}`);
    }
  }
  assert.deepEqual(slow, []);
});
