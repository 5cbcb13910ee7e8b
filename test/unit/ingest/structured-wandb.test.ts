import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { detectFormat } from '../../../src/ingest/registry';
import { wandbReader, WANDB_BLOCK } from '../../../src/ingest/readers/wandb';
import { feedChunks, readBinary, sniffOf } from './structured-feed';

// Fixture written by test/fixtures/logs/wandb/make_wandb_fixture.py: an encoder transcribed from W&B's
// datastore.py (zlib CRC-32 framing, 32 KiB blocks) with hand-encoded wandb_internal.proto records.
// Its docstring lists the contents; expected values below are computed from that specification.
const DIR = path.join(REPO, 'test', 'fixtures', 'logs', 'wandb', 'offline-run-20240611_101500-k3x9p2qa');
const FILE = path.join(DIR, 'run-k3x9p2qa.wandb');
const lossAt = (row: number) => (row === 250 ? NaN : row === 251 ? Infinity : 10 * (row + 1) ** -0.3 + 2);

/** Walk the framing (as the generator wrote it) and return [offset, type, length] of every physical record. */
function physicalRecords(b: Uint8Array): [number, number, number][] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: [number, number, number][] = [];
  let p = 7;
  while (p + 7 <= b.length) {
    const left = WANDB_BLOCK - (p % WANDB_BLOCK);
    if (left <= 7) {
      p += left;
      continue;
    }
    const len = dv.getUint16(p + 4, true);
    out.push([p, b[p + 6], len]);
    p += 7 + len;
  }
  return out;
}

describe('W&B .wandb reader', () => {
  test('fixture: 400 history rows, NaN/Infinity kept, val every 50 rows, media ignored, run name and config', () => {
    assert.equal(detectFormat(sniffOf(FILE))?.format, 'wandb');
    const r = readBinary(wandbReader, FILE);
    assert.deepEqual(r.diagnostics, []);
    const run = r.runs[0];
    const loss = run.metrics['train/loss'];
    assert.equal(loss.step.length, 400);
    assert.deepEqual(Array.from(loss.step.slice(0, 3)), [0, 1, 2]);
    for (const row of [0, 1, 199, 399]) assert.equal(loss.value[row], lossAt(row));
    assert.ok(Number.isNaN(loss.value[250]));
    assert.equal(loss.value[251], Infinity);
    assert.equal(loss.time?.[10], 1718100910);
    assert.equal(run.metrics['lr'].originalName, 'train/lr');
    assert.deepEqual(Array.from(run.metrics['val/loss'].step), [49, 99, 149, 199, 249, 299, 349, 399]);
    assert.ok(!('samples' in run.metrics) && !('_runtime' in run.metrics));
    assert.equal(run.meta.name, 'gpt-s-124M');
    assert.equal(run.meta.params?.value, 124000000);
    const hp = run.meta.hparams!;
    assert.equal(hp['lr'].value, 0.0006);
    assert.equal(hp['batch_size'].value, 512);
    assert.equal(hp['optimizer.name'].value, 'adamw');
    assert.equal(hp['warmup_steps'].value, 50); // only in files/config.yaml
    assert.ok(!Object.keys(hp).some((k) => k.startsWith('_wandb')));
  });

  test('the fixture really spans blocks and has a FIRST/MIDDLE/LAST record', () => {
    const b = new Uint8Array(fs.readFileSync(FILE));
    const types = physicalRecords(b).map((r) => r[1]);
    assert.ok(b.length > 3 * WANDB_BLOCK);
    assert.ok(types.includes(2) && types.includes(3) && types.includes(4));
  });

  test('fed in 1,000-byte and 33-byte chunks: same points, nothing pending at the end', () => {
    const b = new Uint8Array(fs.readFileSync(FILE));
    for (const chunk of [1000, 33]) {
      const { parser, pending } = feedChunks(wandbReader.create(FILE), b, chunk);
      assert.equal(pending, 0);
      const r = parser.result();
      assert.equal(r.diagnostics.length, 0);
      assert.equal(r.runs[0].metrics['train/loss'].step.length, 400);
    }
  });

  test('a growing file: a half-written record waits, then is read', () => {
    const b = new Uint8Array(fs.readFileSync(FILE));
    const recs = physicalRecords(b);
    const [off, , len] = recs[100];
    const p = wandbReader.create(FILE);
    const used = p.feed(b.subarray(0, off + 7 + Math.floor(len / 2)), 0);
    assert.equal(used, off);
    const before = p.result().runs[0].metrics['train/loss'].step.length;
    p.feed(b.subarray(used), used);
    assert.equal(p.result().runs[0].metrics['train/loss'].step.length, 400);
    assert.ok(before < 400);
    assert.equal(p.result().diagnostics.length, 0);
  });

  test('a corrupted history record: one diagnostic with its offset, the other 399 rows read', () => {
    const b = new Uint8Array(fs.readFileSync(FILE));
    const recs = physicalRecords(b);
    // Physical record 10 is a FULL history record (records: header, run, config, then rows with stats/summary).
    const [off, type, len] = recs[10];
    assert.equal(type, 1);
    const bad = b.slice();
    bad[off + 7 + Math.floor(len / 2)] ^= 0x40;
    const r = readBinary(wandbReader, FILE, bad);
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0].offset, off);
    assert.equal(r.runs[0].metrics['train/loss'].step.length, 399);
  });

  test('a corrupted MIDDLE fragment drops only the big output record', () => {
    const b = new Uint8Array(fs.readFileSync(FILE));
    const mid = physicalRecords(b).find((r) => r[1] === 3)!;
    const bad = b.slice();
    bad[mid[0] + 100] ^= 0x01;
    const r = readBinary(wandbReader, FILE, bad);
    assert.ok(r.diagnostics.length >= 1);
    assert.equal(r.diagnostics[0].offset, mid[0]);
    assert.equal(r.runs[0].metrics['train/loss'].step.length, 400);
  });

  test('a file without the :W&B header is not detected', () => {
    assert.equal(wandbReader.detect(sniffOf('/x/run.bin', new TextEncoder().encode('step,loss\n1,2\n'))), 0);
  });
});
