/**
 * The readers on the shapes of hold-out 28's misses (issue 14, session 33): synthetic lines, small enough that the
 * expected values are written by hand. Each case failed before its fix; the controls pin what must not change.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('a Trainer dict printed twice (exact epoch, then rounded) is one logging event', () => {
  const dict = (loss: number, grad: string, lr: string, epoch: string) =>
    `{'loss': ${loss}, 'grad_norm': ${grad}, 'learning_rate': ${lr}, 'epoch': ${epoch}}`;
  test('each event printed by a callback with the exact epoch and by the Trainer with it rounded', async () => {
    const out = ['Loading checkpoint shards: done'];
    // 1/240 of an epoch a step, an event every 6 steps: exact 0.025, 0.05, 0.075, 0.1, 0.125 … (0.125 rounds to 0.12)
    for (let i = 1; i <= 8; i++) {
      const exact = (i * 6) / 240;
      const loss = +(4 - i / 4).toFixed(3);
      out.push('Warning: missing key');
      out.push(dict(loss, (0.9 / i).toFixed(6), (1e-4 * i).toExponential(2), String(exact)));
      out.push(dict(loss, (0.9 / i).toFixed(6), (1e-4 * i).toExponential(2), String(Math.round(exact * 100) / 100)));
    }
    const run = one(await parse(lines(...out)));
    const loss = pts(run, 'train/loss');
    assert.equal(loss.value.length, 8);
    assert.deepEqual(loss.step, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(loss.value[7], 2);
  });
  test('control: events with the same loss and learning rate but a later rounded epoch stay separate', async () => {
    const out: string[] = [];
    for (let i = 1; i <= 6; i++) out.push(dict(0, 'nan', '0.0005', (i / 100).toFixed(2)));
    const run = one(await parse(lines(...out)));
    assert.equal(pts(run, 'train/loss').value.length, 6);
  });
});

describe('every record written by several processes (DDP ranks logging to one file) is one point per epoch', () => {
  const at = (s: number) =>
    `2031-02-03 10:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')},120 - INFO - `;
  test('three ranks each print the epoch end, its evaluation and the next epoch banner', async () => {
    const out: string[] = [];
    for (let r = 0; r < 3; r++) out.push(`${at(0)}Run started`);
    let s = 1;
    for (let e = 0; e < 6; e++) {
      for (let r = 0; r < 3; r++) out.push(`${at(s)}=== BEGIN EPOCH ${e} ===`);
      s++;
      for (let r = 0; r < 3; r++)
        out.push(`${at(s)}END TRAIN LOOP EPOCH ${e}, Loss: ${(3 - e / 3 + r / 100).toFixed(4)}`);
      for (let r = 0; r < 3; r++)
        out.push(`${at(s)}END VALIDATION EPOCH ${e}, Validation Loss: ${(2 - e / 4 + r / 100).toFixed(4)}`);
      s++;
    }
    const run = one(await parse(lines(...out)));
    const loss = pts(run, 'train/loss');
    assert.deepEqual(loss.step, [0, 1, 2, 3, 4, 5]);
    // the last write of each epoch
    assert.equal(loss.value[5], 1.3533);
  });
  test('control: running means printed during the epoch, evaluated once an epoch, stay in record order', async () => {
    const out: string[] = [];
    for (let e = 0; e < 5; e++) {
      for (let b = 1; b <= 3; b++)
        out.push(`${at(e * 4 + b)}END TRAIN LOOP EPOCH ${e}, Loss: ${(3 - e / 3 - b / 50).toFixed(4)}`);
      out.push(`${at(e * 4 + 4)}END VALIDATION EPOCH ${e}, Validation Loss: ${(2 - e / 4).toFixed(4)}`);
    }
    const run = one(await parse(lines(...out)));
    assert.equal(pts(run, 'train/loss').value.length, 15);
  });
});

describe("a script's own training bar redrawn with carriage returns under `Epoch: E/M` lines", () => {
  /** Epochs of a `[Training] n/6` bar, every state on one line (`\r`), the last state with its rate for the ETA. */
  const bars = (epochs: number, opts: { idx?: boolean; crash?: boolean } = {}) => {
    const out = ['nohup: ignoring input'];
    // an example dump before training, each example with its index
    if (opts.idx) for (let i = 0; i < 3; i++) out.push(`guid: train-${i + 1}`, `idx: ${i}`);
    out.push('***** Running training *****');
    for (let e = 0; e < epochs; e++) {
      out.push('', `Epoch: ${e}/40`);
      let l = '';
      const last = opts.crash && e === epochs - 1 ? 3 : 6;
      for (let s = 1; s <= last; s++) {
        const done = s === 6;
        l += `\r[Training] ${s}/6 [${'='.repeat(s * 2)}${'.'.repeat(12 - s * 2)}] `;
        l += done ? '0.8s/step  ' : `- ETA: 0:0${7 - s}  `;
        l += `[ loss=${(6 - e - s / 10).toFixed(4)} ]`;
      }
      if (opts.crash && e === epochs - 1) l += 'Traceback (most recent call last):';
      out.push(l);
      out.push(
        '***** Running evaluation *****',
        ` acc: 0.7${e} - recall: 0.8 - f1: 0.75 - loss: ${(3 - e / 5).toFixed(3)} `,
      );
    }
    return lines(...out);
  };
  test('every state is a point, the final one (its rate for the ETA) too: epoch × 6 + n', async () => {
    const run = one(await parse(bars(3)));
    const loss = pts(run, 'train/loss');
    assert.equal(loss.value.length, 18);
    assert.deepEqual(loss.step.slice(0, 7), [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(loss.step[17], 18);
    assert.equal(loss.value[17], 3.4);
  });
  test("an example dump's `idx: N` before the first epoch is no loop around the epochs", async () => {
    const run = one(await parse(bars(2, { idx: true })));
    const loss = pts(run, 'train/loss');
    assert.equal(loss.step[0], 1);
    assert.equal(loss.step[loss.step.length - 1], 12);
  });
  test('a state with a traceback glued after it (a crash) is still the last point', async () => {
    const run = one(await parse(bars(3, { crash: true })));
    const loss = pts(run, 'train/loss');
    assert.equal(loss.value.length, 15);
    assert.equal(loss.step[14], 15);
    assert.equal(loss.value[14], 3.7);
  });
});

describe('a best evaluation score stated alone on its line closes a training', () => {
  test('two trainings of one script appended to one log, each closed by `Best Validation Acc:…`', async () => {
    const out: string[] = [];
    for (let run = 0; run < 2; run++) {
      out.push(`Time:03/0${run + 1}/2031, 10:00:00`);
      for (let e = 1; e <= 5; e++) {
        out.push(`Epoch:${e}`, `Train loss: ${(0.9 - e / 20 - run / 100).toFixed(4)}`);
        out.push(`Train accuracy: ${50 + e}.5%`, `Validation accuracy: ${49 + e}.25%`, '');
      }
      out.push(`Best Validation Acc:0.5${run + 3}12`);
    }
    const r = await parse(lines(...out));
    assert.equal(r.runs.length, 2);
    const loss = pts(r.runs[1], 'train/loss');
    assert.equal(loss.value.length, 5);
    assert.equal(loss.value[4], 0.64);
  });
});
