/**
 * A log of a known format (here nanochat's `step N/M (P%) | loss: …` console) after megabytes of warnings, whose
 * metric lines the head and the sampled windows all miss: the whole-file scan finds them, and the specific readers
 * are then scored on a sniff taken where the first loss-like records begin — so the file is read by the reader the
 * same log gets without the preamble (its step counter's total, its validation lines), not by the general reader.
 * Both entries (parseText, parseFile) decide the same way; a log no specific reader claims stays the general
 * reader's. Made-up lines.
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
  '/srv/py/lib/python3.12/site-packages/fancylib/ops.py:88: DeprecationWarning: `fold_axes` will be removed in 3.0',
  '  out = fold_axes(x, keep=True)',
  '[compile] lowering graph 41/977 (fusion pass)',
];

/** Warnings repeated to about `bytes` of text. */
const noise = (bytes: number) => noiseOf(WARNINGS, bytes);

const N = 40;
const lossAt = (k: number) => (9 * Math.pow(k + 1, -0.25)).toFixed(6);

/** A made-up nanochat-style console: a validation line, then `step 00007/00040 (17.50%) | loss: … | …` lines. */
function nanochatLog(): string {
  const out = ['Vocab size: 8,192', 'Step 00000 | Validation bpb: 2.9012'];
  for (let k = 0; k < N; k++)
    out.push(
      `step ${String(k).padStart(5, '0')}/${String(N).padStart(5, '0')} (${((100 * k) / N).toFixed(2)}%) | loss: ${lossAt(k)} | lrm: 1.00 | dt: ${(40 + (k % 3)).toFixed(2)}ms | tok/sec: 12,${300 + k} | mfu: 0.97 | total time: 0.0${k % 10}m`,
    );
  return out.join('\n') + '\n';
}

/** Made-up general-reader lines no specific reader knows: `[it 30] train_loss=… ppl=…`. */
function plainLog(): string {
  const out: string[] = [];
  for (let k = 1; k <= N; k++)
    out.push(`[it ${k * 10}] train_loss=${lossAt(k)} ppl=${Math.exp(Number(lossAt(k))).toFixed(2)}`);
  return out.join('\n') + '\n';
}

/** Warnings, then the log in the gap between two sampled windows, then more warnings. */
function file(body: string): string {
  const before = noise(1_650_000);
  const text = before + body + noise(1_350_000);
  const from = before.length,
    to = before.length + body.length;
  assert.ok(from > SNIFF_BYTES);
  for (const [s, l] of sampleRanges(text.length, SNIFF_BYTES)) assert.ok(to < s || from > s + l, 'log sampled');
  return text;
}

async function both(text: string, check: (r: ParseResult) => void): Promise<void> {
  check(parseText('train.log', text) as ParseResult);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whole-scan-specific-'));
  try {
    const f = path.join(dir, 'train.log');
    fs.writeFileSync(f, text);
    check(await parseFile(f));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a nanochat console after a long preamble is read by the nanochat reader', async () => {
  await both(file(nanochatLog()), (r) => {
    assert.equal(r.runs.length, 1, JSON.stringify(r.diagnostics).slice(0, 400));
    const run = r.runs[0];
    assert.equal(run.format, 'nanochat', r.diagnostics.map((d) => d.message).join(' / '));
    const m = run.metrics['train/loss'];
    assert.ok(m, Object.keys(run.metrics).join(', '));
    assert.equal(m.value.length, N);
    assert.equal(m.value[N - 1], Number(lossAt(N - 1)));
    assert.equal(m.step[N - 1], N - 1);
    assert.equal(run.meta.totalSteps?.value, N);
    assert.ok(r.diagnostics.some((d) => /where they begin, the content is nanochat's/.test(d.message)));
  });
});

test('a log no specific reader claims after a long preamble stays with the general reader', async () => {
  await both(file(plainLog()), (r) => {
    assert.equal(r.runs.length, 1, JSON.stringify(r.diagnostics).slice(0, 400));
    assert.equal(r.runs[0].format, 'generic-text');
    const m = r.runs[0].metrics['train/loss'];
    assert.ok(m, Object.keys(r.runs[0].metrics).join(', '));
    assert.equal(m.value.length, N);
    assert.equal(m.step[N - 1], N * 10);
    assert.ok(r.diagnostics.some((d) => /read by the general reader$/.test(d.message)));
  });
});
