/**
 * The general reader on real logs it still read wrong after hold-out 23's round (issue 14): synthetic lines modelled
 * on each class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('an iteration counted across epochs after an `[epoch/total]` counter', () => {
  test('`[2/30] 250) loss: …` every 50 iterations, 3 records an epoch: the iteration is the step', async () => {
    const rows: string[] = ['Begin: lr 0.001'];
    let it = 0;
    let v = 2;
    for (let e = 1; e <= 3; e++) {
      for (let r = 0; r < 3; r++, it += 50) {
        v -= 0.125;
        rows.push(`[${e}/30] ${it}) loss: ${v}, acc ${40 + it / 10}%`);
      }
      rows.push(`eval: ${it - 1}) acc ${50 + e}%`);
    }
    const run = one(await parse(lines(...rows)));
    const s = pts(run, 'train/loss');
    // before: keyed by the epoch counter, one point per epoch
    assert.deepEqual(s.step, [0, 50, 100, 150, 200, 250, 300, 350, 400]);
    assert.equal(s.value.length, 9);
    assert.equal(s.value[8], 0.875);
  });
  test('the number after the counter is no step when it goes back (`[1/5] 3 loss` … a per-epoch count)', async () => {
    const rows: string[] = [];
    for (let e = 1; e <= 3; e++) for (let r = 1; r <= 3; r++) rows.push(`[${e}/5] ${r * 7}) loss: 1.${e}${r}`);
    const run = one(await parse(lines(...rows)));
    assert.notDeepEqual(pts(run, 'train/loss').step, [7, 14, 21, 7, 14, 21, 7, 14, 21]);
  });
});

describe("a perplexity that is the training's only loss, keyed by the share of the epoch done", () => {
  /** Three epochs of four progress lines each (share of the epoch, running perplexity, words per second). */
  const ptb = (key = 'perplexity') => {
    const rows: string[] = ['Vocab: 5000', '=== Train ==='];
    const shares = ['0.0125', '0.2625', '0.5125', '0.7625'];
    for (let e = 0; e < 3; e++) {
      shares.forEach((s, i) => rows.push(`${s} ${key}: ${900 - 100 * e - 10 * i}.5 speed: ${4100 + i} wps`));
      rows.push(`Train ${key} at epoch ${e}: ${850 - 100 * e}.25`, `Valid ${key} at epoch ${e}: ${700 - 90 * e}.75`);
    }
    rows.push(`Test ${key}: 512.5`);
    return lines(...rows);
  };
  test('`0.2625 perplexity: 890.5 speed: 4101 wps`: the perplexity is train/loss, epochs done + the share its step', async () => {
    const run = one(await parse(ptb()));
    const s = pts(run, 'train/loss');
    assert.equal(run.metrics['train/loss'].originalName, 'perplexity');
    assert.equal(s.value.length, 12);
    assert.equal(s.value[11], 670.5);
    assert.deepEqual(s.step.slice(0, 5), [0.0125, 0.2625, 0.5125, 0.7625, 1.0125]);
    assert.equal(s.step[11], 2 + 0.7625);
  });
  test('beside a loss key the perplexity stays a perplexity', async () => {
    const rows: string[] = [];
    for (let e = 0; e < 3; e++)
      for (const s of ['0.1', '0.4', '0.7']) rows.push(`${s} loss: ${3 - e}.5 perplexity: ${33 - e}.1 speed: 4000 wps`);
    const run = one(await parse(lines(...rows)));
    assert.equal(pts(run, 'train/loss').value[0], 3.5);
    assert.equal(pts(run, 'train/ppl').value[0], 33.1);
  });
  test('a fraction that never starts again is no share of an epoch (record order)', async () => {
    const rows: string[] = [];
    for (let i = 1; i <= 8; i++) rows.push(`0.${i}5 perplexity: ${90 - i}.5`);
    const run = one(await parse(lines(...rows)));
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('an options dump stating the planned epochs on a line of its own (`Epochs: 3`)', () => {
  /** A model's training: an options block, then `Epoch e - TRAIN - Batch b - Loss = v` lines, epochs from 0. */
  const model = (name: string, epochs: number, base: number, stated = true) => {
    const out = [
      `2024-05-02 10:00:00,001 - INFO - Set up ${name} network`,
      '2024-05-02 10:00:00,002 - INFO - ',
      '    Options:',
    ];
    if (stated) out.push(`    Epochs: ${epochs}`);
    out.push('    Optimizer: Adam', '    Log every: 20 batches', '2024-05-02 10:00:00,003 - INFO - train loop');
    for (let e = 0; e < epochs; e++)
      for (let b = 0; b <= 40; b += 20)
        out.push(`2024-05-02 10:00:01,000 - INFO - Epoch ${e} - TRAIN - Batch ${b} - Loss = ${base - e - b / 100}`);
    return out;
  };
  test('two models trained one after another, each to its stated count of epochs: two runs', async () => {
    const r = await parse(lines(...model('alpha', 3, 9), ...model('beta', 2, 5)));
    assert.equal(r.runs.length, 2, r.diagnostics.map((d) => d.message).join(' | '));
    assert.equal(pts(r.runs[0], 'train/loss').value.length, 9);
    assert.deepEqual(pts(r.runs[1], 'train/loss').value, [5, 4.8, 4.6, 4, 3.8, 3.6]);
  });
  test('without the stated count, the second is an attempt of one run (last write per step)', async () => {
    const r = await parse(lines(...model('alpha', 3, 9, false), ...model('beta', 2, 5, false)));
    assert.equal(r.runs.length, 1);
  });
});
