/**
 * LineFeeder: the partial-line buffer (data arriving a byte at a time) and the byte-level fast path.
 *
 * The fast path must be invisible: every input is parsed twice — through a parser offering `asciiLine` (the
 * byte path takes the lines it can) and through the same reader with `asciiLine` removed (string path only) —
 * and the two results must be identical, on hand-picked edge lines and on thousands of random mutations of
 * nanoGPT lines. Its speed is measured in bench/ (text-ingest), not here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineFeeder } from '../../../src/ingest/lineFeeder';
import type { LineParser } from '../../../src/ingest/reader';
import type { ParseResult } from '../../../src/ingest/types';
import { nanogptReader } from '../../../src/ingest/readers/nanogpt';
import { decimal, decimalAt, asciiNumber, numEnd, numberAt } from '../../../src/ingest/asciiScan';
import * as N from '../../../src/ingest/numbers';

/** A parser that records the lines it is given. */
function recorder(): LineParser & { lines: [string, number][] } {
  const lines: [string, number][] = [];
  return { lines, line: (t, n) => void lines.push([t, n]), result: () => ({ runs: [], diagnostics: [] }) };
}

test('a long line arriving one byte at a time is delivered whole, once, with the right line numbers', () => {
  const long = 'x'.repeat(300_000) + ' loss 1.5';
  const text = `first\n${long}\nthird line\r\nfourth`;
  const rec = recorder();
  const f = new LineFeeder('/t.log', rec);
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i++) {
    f.push(bytes.subarray(i, i + 1));
    if (i === 100_000) assert.equal(f.pendingBytes, 100_000 - 5, 'bytes of the partial line held');
  }
  assert.equal(f.pendingBytes, 'fourth'.length);
  f.flush();
  assert.deepEqual(rec.lines, [
    ['first', 1],
    [long, 2],
    ['third line', 3],
    ['fourth', 4],
  ]);
  assert.deepEqual(f.diagnostics, []);
});

test('byte-at-a-time over the line cap: skipped with one diagnostic, the lines after it still read', () => {
  const rec = recorder();
  const f = new LineFeeder('/t.log', rec, 1000);
  const bytes = Buffer.from(`a\n${'y'.repeat(5000)}\nb\n`);
  for (let i = 0; i < bytes.length; i++) f.push(bytes.subarray(i, i + 1));
  assert.deepEqual(rec.lines, [
    ['a', 1],
    ['b', 3],
  ]);
  assert.equal(f.diagnostics.length, 1);
  assert.equal(f.diagnostics[0].line, 2);
});

/** Parses `text` with the nanoGPT reader, in chunks of `chunk` bytes, with or without the byte path. */
function parse(text: string | Buffer, withBytes: boolean, chunk = 1 << 20, maxLine?: number): ParseResult {
  const p = nanogptReader.create('/w/train.log');
  const parser: LineParser = withBytes ? p : { line: p.line.bind(p), result: p.result.bind(p) };
  assert.equal(typeof p.asciiLine, 'function', 'the nanoGPT reader offers a byte path');
  const f = new LineFeeder('/w/train.log', parser, maxLine);
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < bytes.length; i += chunk) f.push(bytes.subarray(i, i + chunk));
  f.flush();
  const r = parser.result();
  return { runs: r.runs, diagnostics: [...f.diagnostics, ...r.diagnostics] };
}

/** Plain data for deepEqual (NaN-safe via Object.is in deepStrictEqual; -0 kept). */
function plain(r: ParseResult): unknown {
  return {
    runs: r.runs.map((run) => ({
      meta: run.meta,
      metrics: Object.fromEntries(
        Object.entries(run.metrics).map(([k, s]) => [
          k,
          {
            o: s.originalName,
            step: Array.from(s.step),
            value: Array.from(s.value),
            time: s.time && Array.from(s.time),
          },
        ]),
      ),
    })),
    diagnostics: r.diagnostics,
  };
}

const EDGE_LINES = [
  'iter 0: loss 10.9876, time 31234.56ms, mfu -100.00%',
  'iter 1: loss 10.5, time 312.34ms, mfu 0.01%',
  'iter 2/5000: loss 9.75, time 300.00ms, mfu 12.50%',
  'iter  3: loss  9.5, time 1e3ms, mfu 1.5E+1%',
  'iter 4: loss nan, time 300.00ms, mfu 38.00%',
  'iter 5: loss inf, time 300.00ms, mfu 38.00%',
  'iter 6: loss -inf, time 300.00ms, mfu 38.00%',
  'iter 7: loss 1234567890123456789, time 1ms, mfu 1%',
  'iter 8: loss 1e-30, time 1ms, mfu 1%',
  'iter 9: loss 4.2, time 300.00ms, mfu 38.00%, lr 6e-4',
  'iter 10: loss 4.2, time 300.00ms',
  'iter 11: loss 4.2',
  'iter 12.5: loss 4.2, time 1ms, mfu 1%',
  'iter 13.0: loss 4.2, time 1ms, mfu 1%',
  'iter +14: loss -0, time .5ms, mfu 5.%',
  'iter 15: loss 4.2 , time 1ms, mfu 1%',
  'iter 16: loss 4.2, time 1ms, mfu 1% ',
  'iter 17: loss 4.2, time 1ms, mfu 1%%',
  'iter 18: loss 4.2e, time 1ms, mfu 1%',
  'iter 19: loss 4.2e5x, time 1ms, mfu 1%',
  'iter 20:loss 4.2, time 1ms, mfu 1%',
  'iter 21: loss 4.2, time 1ms, mfu',
  'iter 22/: loss 4.2, time 1ms, mfu 1%',
  'iter 23/abc: loss 4.2, time 1ms, mfu 1%',
  'iter 24: loss 4.2, time 1ms, mfu 1e999%',
  'iter 25: loss 0.1234567890123456, time 1ms, mfu 1%',
  'iter 25: loss .20072377090663963, time 1ms, mfu 1%',
  'iter 26: loss 4.2, time 1ms, mfu 1%\tx',
  'iter 27: loss 4.2, time 1 ms, mfu 1%',
  'iter',
  'iter ',
  '',
  'step 100: train loss 3.4633, val loss 3.4987',
  'number of parameters: 10.65M',
  'tokens per iteration will be: 491,520',
  'iter 28: loss 4.2, time 1ms, mfu 1%',
  'iter 29: loss 1e999, time 1ms, mfu 1%',
  'iter 30: loss 4.2, time 1e999ms, mfu 1%',
  'iter 31: loss 4.2, time 1ms, mfu 1%',
];

test('fast path = string path on edge-case lines (ASCII, CRLF, non-ASCII, NUL, over-long lines, odd chunkings)', () => {
  const ascii = EDGE_LINES.join('\n') + '\n';
  const variants: [string, string | Buffer][] = [
    ['ascii', ascii],
    ['crlf', EDGE_LINES.join('\r\n') + '\r\n'],
    ['non-ascii', EDGE_LINES.join('\n').replace('loss 9.75', 'loss 9.75 ✓') + '\nÉtape 3\n'],
    ['nul', Buffer.concat([Buffer.from(ascii), Buffer.from([0, 10]), Buffer.from(ascii)])],
    ['no final newline', ascii.slice(0, -1)],
  ];
  for (const [name, text] of variants) {
    for (const chunk of [1, 7, 64, 1 << 20]) {
      for (const maxLine of [undefined, 40]) {
        const a = parse(text, true, chunk, maxLine);
        const b = parse(text, false, chunk, maxLine);
        assert.deepStrictEqual(plain(a), plain(b), `${name}, chunks of ${chunk}, max line ${maxLine}`);
      }
    }
  }
  // and the byte path really took the canonical lines: same values as written
  const r = parse(ascii, true);
  const loss = r.runs[0].metrics['train/loss'];
  assert.equal(loss.value[Array.from(loss.step).indexOf(1)], 10.5);
  assert.equal(r.runs[0].meta.totalSteps?.value, 5000);
  assert.ok(!r.runs[0].metrics['mfu'].step.includes(0), 'the -100% placeholder of iter 0 is dropped');
});

test('fast path = string path on 20,000 randomly mutated nanoGPT lines', () => {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const ALPHABET = [
    '0',
    '1',
    '9',
    '.',
    'e',
    'E',
    '-',
    '+',
    ' ',
    ':',
    ',',
    '%',
    '/',
    'n',
    'a',
    'i',
    'f',
    'm',
    's',
    'x',
    '\t',
  ];
  const lines: string[] = [];
  for (let k = 0; k < 20_000; k++) {
    let l = `iter ${k}: loss ${(2 + 8 * rnd()).toFixed(4)}, time ${(300 * rnd()).toFixed(2)}ms, mfu ${(40 * rnd() - 1).toFixed(2)}%`;
    const edits = Math.floor(rnd() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rnd() * (l.length + 1));
      const op = rnd();
      if (op < 0.4) l = l.slice(0, at) + pick(ALPHABET) + l.slice(at);
      else if (op < 0.7) l = l.slice(0, at) + l.slice(at + 1);
      else l = l.slice(0, at) + pick(ALPHABET) + l.slice(at + 1);
    }
    lines.push(l);
  }
  const text = lines.join('\n') + '\n';
  const a = parse(text, true, 4096);
  const b = parse(text, false, 4096);
  assert.deepStrictEqual(plain(a), plain(b));
  assert.ok(a.runs[0].metrics['train/loss'].step.length > 10_000, 'most mutated lines still parse');
});

test('asciiNumber reads what scanFloat reads, or declines', () => {
  const cases = [
    '0',
    '-0',
    '12',
    '3.25',
    '.5',
    '5.',
    '1e3',
    '1E+3',
    '2.5e-7',
    '+7',
    '  42',
    '1e',
    '1e+',
    '-',
    '.',
    'e5',
    'nan',
    '123456789012345',
    '1234567890123456',
    '1e22',
    '1e23',
    '9.999999999999999e-7',
    '.20072377090663963',
  ];
  for (const c of cases) {
    const b = Buffer.from(c + '\n');
    const v = asciiNumber(b, 0, b.length - 1);
    const e = numEnd;
    const w = N.scanFloat(c, 0);
    if (e < 0) continue; // declined (the string path reads it)
    assert.equal(e, N.scanEnd, c);
    assert.ok(Object.is(v, w), `${c}: ${v} vs ${w}`);
  }
});

test('decimalAt (the common case) reads what asciiNumber reads, or declines', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const chars = '0123456789.e-+ x';
  const cases = [
    '0',
    '12',
    '3.25',
    '.5',
    '5.',
    '1e3',
    '-1',
    ' 4',
    '.',
    '123456789012345',
    '1234567890123456',
    '0.000123',
  ];
  for (let k = 0; k < 20_000; k++) {
    let c = '';
    const n = 1 + Math.floor(rnd() * 18);
    for (let j = 0; j < n; j++)
      c += rnd() < 0.8 ? String(Math.floor(rnd() * 10)) : chars[Math.floor(rnd() * chars.length)];
    cases.push(c);
  }
  let taken = 0;
  for (const c of cases) {
    const b = Buffer.from(c + '%\n');
    const e = decimalAt(b, 0, b.length - 1);
    const v = decimal[0];
    if (e < 0) continue; // declined: the caller reads it with asciiNumber
    taken++;
    const w = asciiNumber(b, 0, b.length - 1);
    assert.equal(e, numEnd, c);
    assert.ok(Object.is(v, w), `${c}: ${v} vs ${w}`);
  }
  assert.ok(taken > 5000, `${taken} taken`);
  for (const c of ['1e3', '-1', ' 4', '.', '1234567890123456', '2.5E1'])
    assert.equal(decimalAt(Buffer.from(c + '\n'), 0, c.length), -1, `${c} declined`);
});

test('numberAt (decimalAt, else asciiNumber) gives the end and value asciiNumber gives, on every form', () => {
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const chars = '0123456789.e-+ xE';
  const cases = ['0', '3.25', '1e3', '-1', ' 4', '.', '1234567890123456', '2.5E1', 'nan', '', '1e400', '-0.0'];
  for (let k = 0; k < 20_000; k++) {
    let c = '';
    const n = 1 + Math.floor(rnd() * 18);
    for (let j = 0; j < n; j++)
      c += rnd() < 0.7 ? String(Math.floor(rnd() * 10)) : chars[Math.floor(rnd() * chars.length)];
    cases.push(c);
  }
  let slow = 0;
  for (const c of cases) {
    const b = Buffer.from(c + '%\n');
    if (decimalAt(b, 0, b.length - 1) < 0) slow++;
    const e = numberAt(b, 0, b.length - 1);
    const v = decimal[0];
    const w = asciiNumber(b, 0, b.length - 1);
    assert.equal(e, numEnd, `${c}: end`);
    assert.ok(Object.is(v, w), `${c}: ${v} vs ${w}`);
  }
  assert.ok(slow > 2000, `${slow} cases through asciiNumber`);
});
