/**
 * The general reader's planned totals stated in epochs (issue 14, fix round 16): synthetic lines, small enough that
 * the expected values are written by hand. The planned epoch count is reported apart from the planned total in steps
 * (`meta.plannedEpochs`), and when the step axis composes steps with the epoch and no total in steps is stated, the
 * planned total in steps is derived from it. Each case failed before its rule.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LogFile } from '../../../src/ingest/incremental';
import { parse, one, pts, lines } from './inferCase';

describe('planned epochs beside a step axis of epoch × steps per epoch', () => {
  test("the epoch field's N/M total on the loss line: planned epochs, and the total in steps derived", async () => {
    const out = ['seed 3, device cpu'];
    for (let e = 1; e <= 3; e++)
      for (let s = 5; s <= 25; s += 5)
        out.push(`Ep: [${e}/12] | Iter: [${s}/25] | loss = ${(3 - e / 3 - s / 100).toFixed(4)}`);
    const run = one(await parse(lines(...out)));
    const loss = pts(run, 'train/loss');
    assert.equal(loss.value.length, 15);
    assert.equal(loss.step[14], 75);
    assert.equal(run.meta.plannedEpochs?.value, 12);
    assert.equal(run.meta.totalSteps?.value, 300);
    assert.match(run.meta.totalSteps!.source.how, /derived: 12 planned epochs × 25 steps per epoch/);
  });

  test("a header line's epoch N/M over records whose own counter restarts each epoch", async () => {
    const out: string[] = [];
    for (let e = 0; e < 4; e++) {
      out.push(`=== epoch ${e}/80 ===`);
      for (let s = 10; s <= 30; s += 10)
        out.push(`epoch ${e} | step ${s} | loss ${(2 - e / 10 - s / 1000).toFixed(3)}`);
    }
    const run = one(await parse(lines(...out)));
    assert.equal(pts(run, 'train/loss').value.length, 12);
    assert.equal(run.meta.plannedEpochs?.value, 80);
    assert.equal(run.meta.totalSteps?.value, 80 * 30);
  });

  test('an epoch setting printed before the records (`num_epochs=25`)', async () => {
    const out = ['config: num_epochs=25, lr=0.001, batch_size=64'];
    for (let e = 1; e <= 3; e++)
      for (let s = 10; s <= 40; s += 10)
        out.push(`epoch ${e} batch ${s}/40 loss ${(1.5 - e / 10 - s / 400).toFixed(4)}`);
    const run = one(await parse(lines(...out)));
    assert.equal(pts(run, 'train/loss').value.length, 12);
    assert.equal(run.meta.plannedEpochs?.value, 25);
    assert.equal(run.meta.totalSteps?.value, 1000);
  });

  test('a total in steps stated by the log is kept: the epochs are reported beside it, nothing derived', async () => {
    const out = ['max_steps: 5000'];
    for (let e = 1; e <= 3; e++)
      for (let s = 10; s <= 50; s += 10)
        out.push(`epoch ${e}/3 step ${s}/50 loss ${(1.5 - e / 10 - s / 500).toFixed(4)}`);
    const run = one(await parse(lines(...out)));
    assert.equal(run.meta.totalSteps?.value, 5000);
    assert.doesNotMatch(run.meta.totalSteps!.source.how, /derived/);
    assert.equal(run.meta.plannedEpochs?.value, 3);
  });
});

describe('several trainings in one file: each reports its own planned epochs', () => {
  test('a training finished at its planned epochs, then another planned longer', async () => {
    const out: string[] = [];
    for (const [n, base] of [
      [2, 2.4],
      [6, 1.9],
    ] as const)
      for (let e = 1; e <= (n === 2 ? 2 : 3); e++)
        for (let s = 4; s <= 16; s += 4)
          out.push(`ep (${e}/${n}) it (${s}/16) train_loss ${(base - e / 10 - s / 400).toFixed(4)}`);
    const r = await parse(lines(...out));
    assert.equal(r.runs.length, 2, r.diagnostics.map((d) => d.message).join(' | '));
    assert.equal(r.runs[0].meta.plannedEpochs?.value, 2);
    assert.equal(r.runs[0].meta.totalSteps?.value, 32);
    assert.equal(r.runs[1].meta.plannedEpochs?.value, 6);
    assert.equal(r.runs[1].meta.totalSteps?.value, 96);
  });
});

describe('a live file: the planned epochs and a derived total follow the rows that arrive', () => {
  test('steps per epoch seen growing through the first epoch, then the epoch ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-epochs-'));
    try {
      const p = join(dir, 'train.log');
      const row = (e: number, s: number) => `[${e}/9] it ${s} | loss ${(2 - e / 10 - s / 1000).toFixed(4)}\n`;
      let text = 'num_epochs: 9\n';
      for (let e = 0; e <= 1; e++) for (let s = 10; s <= 20; s += 10) text += row(e, s);
      writeFileSync(p, text);
      const lf = new LogFile(p, { sidecars: false });
      await lf.poll();
      await lf.poll();
      // (two epochs of two rows: 20 steps an epoch as far as the rows tell)
      assert.equal(one(lf.result()).meta.totalSteps?.value, 9 * 20);
      let more = '';
      for (let s = 30; s <= 60; s += 10) more += row(1, s);
      for (let s = 10; s <= 60; s += 10) more += row(2, s);
      appendFileSync(p, more);
      await lf.poll();
      await lf.poll();
      const run = one(lf.result());
      assert.equal(pts(run, 'train/loss').value.length, 14);
      assert.equal(run.meta.plannedEpochs?.value, 9);
      assert.equal(run.meta.totalSteps?.value, 9 * 60);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('planned epochs on other step axes', () => {
  test('a step axis of epochs: the planned epochs are the planned total', async () => {
    const out: string[] = [];
    for (let e = 1; e <= 6; e++) out.push(`Epoch ${e}/30 - train loss: ${(0.9 - e / 20).toFixed(3)}`);
    const run = one(await parse(lines(...out)));
    assert.equal(run.meta.totalSteps?.value, 30);
    assert.equal(run.meta.plannedEpochs?.value, 30);
  });

  test('no epoch count stated: none reported, and no total in steps made up', async () => {
    const out: string[] = [];
    for (let e = 1; e <= 3; e++)
      for (let s = 10; s <= 30; s += 10) out.push(`epoch ${e} iter ${s} loss ${(2 - e / 5 - s / 300).toFixed(4)}`);
    const run = one(await parse(lines(...out)));
    assert.equal(pts(run, 'train/loss').value.length, 9);
    assert.equal(run.meta.plannedEpochs, undefined);
    assert.equal(run.meta.totalSteps, undefined);
  });
});
