/**
 * A short training log that sits between the sampled windows of a long file — megabytes of warnings before it and a
 * tool's output after it (issue 14, pattern 5: detection must not depend on where the metric lines fall) — is read
 * by the general reader after it reads the file whole, with a diagnostic saying so, instead of "no reader claimed
 * it". Both entries (parseText, parseFile) decide the same way. A long file with no loss-like line stays unclaimed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFile, parseText, SNIFF_BYTES } from '../../../src/ingest/incremental';
import { sampleRanges } from '../../../src/ingest/infer/sample';
import type { ParseResult } from '../../../src/ingest/types';
import { noiseOf } from '../helpers/noise';

const WARNINGS = [
  '/opt/env/lib/python3.11/site-packages/somelib/functional.py:2210: UserWarning: implicit dimension choice is deprecated (shape 8 x 3)',
  '  warnings.warn(msg, stacklevel=2)',
  'Compiling kernel 17 of 412 for sm_80 ...',
];

/** Warnings repeated to about `bytes` of text. */
const noise = (bytes: number) => noiseOf(WARNINGS, bytes);

/** 60 made-up metric lines, `it 10: train_loss=… ppl=…`. */
function log(): string {
  const out: string[] = [];
  for (let k = 1; k <= 60; k++) {
    const loss = (6 * Math.pow(k, -0.3)).toFixed(4);
    out.push(`it ${k * 10}: train_loss=${loss} ppl=${Math.exp(Number(loss)).toFixed(2)}`);
  }
  return out.join('\n') + '\n';
}

/** Warnings, then the log placed in the gap between two sampled windows, then more warnings. */
function file(withLog: boolean): string {
  const before = noise(1_650_000);
  const after = noise(1_350_000);
  const body = withLog ? log() : noise(log().length);
  const text = before + body + after;
  if (withLog) {
    // the log's lines lie outside every sampled window and past the head (what the test is about)
    const from = before.length,
      to = before.length + body.length;
    assert.ok(from > SNIFF_BYTES);
    for (const [s, l] of sampleRanges(text.length, SNIFF_BYTES)) assert.ok(to < s || from > s + l, 'log sampled');
  }
  return text;
}

function check(r: ParseResult): void {
  assert.equal(r.runs.length, 1, JSON.stringify(r.diagnostics).slice(0, 400));
  const m = r.runs[0].metrics['train/loss'] ?? Object.values(r.runs[0].metrics).find((x) => x.value.length === 60);
  assert.ok(m, Object.keys(r.runs[0].metrics).join(', '));
  assert.equal(m.value.length, 60);
  assert.equal(m.value[59], Number((6 * Math.pow(60, -0.3)).toFixed(4)));
  assert.equal(m.step[59], 600);
  assert.ok(r.diagnostics.some((d) => /reading the first .* MiB whole/.test(d.message)));
}

const withLog = file(true);
const without = file(false);

test('a log between the sampled windows is read by the general reader (parseText)', () => {
  check(parseText('train.out', withLog) as ParseResult);
});

test('a log between the sampled windows is read by the general reader (parseFile)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whole-scan-'));
  try {
    const f = path.join(dir, 'train.out');
    fs.writeFileSync(f, withLog);
    check(await parseFile(f));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a long file of warnings alone stays unclaimed (no loss-like line anywhere)', async () => {
  const r = parseText('train.out', without) as ParseResult;
  assert.equal(r.runs.length, 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whole-scan-'));
  try {
    const f = path.join(dir, 'train.out');
    fs.writeFileSync(f, without);
    const p = await parseFile(f);
    assert.equal(p.runs.length, 0);
    assert.ok(!p.diagnostics.some((d) => /MiB whole/.test(d.message)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
