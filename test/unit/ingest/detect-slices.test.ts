/**
 * Issue 14: detection on a huge log must not hold the thread for the whole sniff. LogFile runs each reader's
 * detection in its own turn of the event loop, and feeds the sniff to the general reader's inference in slices of
 * INFER_SLICE_BYTES. Measured in work units (sniff bytes read without yielding; detect calls between two
 * setImmediate yields), not in time; and the sliced detection must decide exactly as the one-piece one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogFile, INFER_SLICE_BYTES, detectWork, makeSniff, parseBytes } from '../../../src/ingest/incremental';
import { inferConfidence, inferConfidenceSliced, inferredReader } from '../../../src/ingest/readers/inferred';
import { READERS } from '../../../src/ingest/registry';
import { FALLBACK_READERS } from '../../../src/ingest/textReaders';
import type { Reader } from '../../../src/ingest/reader';
import { sampleBytes } from '../../../src/ingest/infer/sample';
import { SHARED_DATA } from '../helpers/paths';

/** A mixed log (logger prefixes, key=value train lines, eval lines, warnings) of about `bytes` bytes. */
function mixedLog(bytes: number): string {
  let s = '';
  for (let k = 0; k < 3000; k++)
    s += `/usr/lib/python3/site-packages/torch/functional.py:${500 + k}: UserWarning: torch.meshgrid: pass the indexing argument.\n`;
  for (let step = 0; s.length < bytes; step++) {
    s += `[2026-03-01 10:00:${String(step % 60).padStart(2, '0')}.123456] INFO step=${step} | loss=${(2 + 8 / Math.sqrt(step + 1)).toFixed(4)} | lr=3.000e-4\n`;
    if (step % 250 === 0)
      s += `2026-03-01 10:00:00,123 - INFO - eval step ${step}: val_loss ${(2.1 + 8 / Math.sqrt(step + 1)).toFixed(4)}\n`;
  }
  return s;
}

test('a huge log read by the general reader: detection reads at most one slice of the sniff between yields', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-slices-'));
  const file = path.join(dir, 'train.log');
  fs.writeFileSync(file, mixedLog(4 << 20));
  detectWork.maxSliceBytes = 0;
  detectWork.slices = 0;
  const lf = new LogFile(file, { sidecars: false });
  await lf.poll(1 << 20);
  assert.equal(lf.format, 'generic-text');
  // the sniff (head + windows, ~320 KiB) was read in many slices, none larger than the slice size
  assert.ok(detectWork.slices >= 10, `${detectWork.slices} slices`);
  assert.ok(
    detectWork.maxSliceBytes > 0 && detectWork.maxSliceBytes <= INFER_SLICE_BYTES,
    `largest slice ${detectWork.maxSliceBytes} bytes`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});

test('sliced inference gives the same confidence as the one-piece one (mixed log, shared real logs)', async () => {
  const pause = () => new Promise<void>((r) => setImmediate(r));
  const samples: [string, Uint8Array][] = [['mixed', Buffer.from(mixedLog(2 << 20))]];
  const logs = path.join(SHARED_DATA, 'logs');
  for (const d of fs.readdirSync(logs)) {
    const sub = path.join(logs, d);
    if (!fs.statSync(sub).isDirectory()) continue;
    for (const f of fs.readdirSync(sub))
      if (fs.statSync(path.join(sub, f)).isFile()) samples.push([`${d}/${f}`, fs.readFileSync(path.join(sub, f))]);
  }
  let claimed = 0;
  for (const [name, bytes] of samples) {
    for (const slice of [1000, 16 * 1024]) {
      const one = inferConfidence(makeSniff(`/w/${name}`, sampleBytes(bytes, 64 * 1024)));
      const sliced = await inferConfidenceSliced(makeSniff(`/w/${name}`, sampleBytes(bytes, 64 * 1024)), pause, slice);
      assert.equal(sliced, one, `${name}, slices of ${slice}`);
      if (one >= 0.5) claimed++;
    }
  }
  assert.ok(claimed >= 2, 'some samples are claimed by the general reader (the comparison is not all zeros)');
});

test('a huge log: every reader detects in its own turn of the event loop, and the choice is the synchronous one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-slices-'));
  const file = path.join(dir, 'train.log');
  fs.writeFileSync(file, mixedLog(4 << 20));
  // count the yields (setImmediate calls) and note, for every detect call, how many yields came before it
  let yields = 0;
  const real = globalThis.setImmediate;
  (globalThis as { setImmediate: unknown }).setImmediate = ((fn: (...a: unknown[]) => void, ...a: unknown[]) => {
    yields++;
    return real(fn, ...a);
  }) as typeof setImmediate;
  const calls: number[] = [];
  const wrap = (r: Reader): Reader => ({ ...r, detect: (s) => (calls.push(yields), r.detect(s)) }) as Reader;
  const specific = READERS.filter((r) => !FALLBACK_READERS.includes(r));
  try {
    const lf = new LogFile(file, { sidecars: false, readers: [...specific.map(wrap), inferredReader] });
    await lf.poll(1 << 20);
    assert.equal(lf.format, 'generic-text');
    // the synchronous path (parseBytes: pickReader in one go) chooses the same reader
    const sync = await parseBytes(file, fs.readFileSync(file));
    assert.equal(sync.runs[0]?.format, lf.format);
  } finally {
    (globalThis as { setImmediate: unknown }).setImmediate = real;
  }
  // the specific readers scored the head, the wide head and the sample (and the sample without its prefixes)
  assert.ok(calls.length >= 3 * specific.length, `${calls.length} detect calls`);
  for (let k = 1; k < calls.length; k++)
    assert.ok(
      calls[k] > calls[k - 1],
      `detect calls ${k - 1} and ${k} ran in the same turn (after ${calls[k]} yields)`,
    );
  fs.rmSync(dir, { recursive: true, force: true });
});
