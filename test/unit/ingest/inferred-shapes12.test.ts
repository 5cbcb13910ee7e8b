/**
 * The general reader on the failure classes of the retired hold-out 11 (issue 14, batch 14, scored once, blind, at
 * 3bcf109): synthetic lines modelled on each class, each in at least two variants that differ in keys, separators or
 * prefixes (a rule must hold for the structure, not for one file), small enough that the expected values are written
 * by hand from the text (never taken from the reader's output). Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('a line of names over a row that starts with as many bare values, then a progress bar: the names key them', () => {
  test('a detection console: the header redrawn before each epoch, a rich bar after the values', async () => {
    const head = '      Epoch    GPU_mem   box_loss   cls_loss  Instances       Size';
    const row = (e: number, box: string, cls: string) =>
      `      ${e}/3      2.13G      ${box}      ${cls}          4        640: 100% ━━━━━━━━━━━━ 409/409 1.5it/s 4:25`;
    const val = '                   all        925       1248      0.622      0.391      0.351      0.169';
    const text = lines(
      head,
      row(1, '1.596', '2.455'),
      val,
      '',
      head,
      row(2, '1.403', '1.598'),
      val,
      '',
      head,
      row(3, '1.211', '1.522'),
      val,
    );
    const run = one(await parse(text, 'train.txt'));
    const box = pts(run, 'box_loss');
    assert.deepEqual(box.step, [1, 2, 3]);
    assert.deepEqual(box.value, [1.596, 1.403, 1.211]);
    assert.deepEqual(pts(run, 'cls_loss').value, [2.455, 1.598, 1.522]);
  });
  test('tab-separated names over a classic tqdm bar, a different step word', async () => {
    const head = 'iter\tlr\tloss\tacc';
    const row = (i: number, loss: string, acc: string) =>
      `${i}/300\t0.001\t${loss}\t${acc}\t|██████████| 30/30 [00:02<00:00, 12.1it/s]`;
    const text = lines(head, row(100, '2.31', '0.41'), head, row(200, '2.05', '0.52'), head, row(300, '1.87', '0.58'));
    const run = one(await parse(text, 'log.txt'));
    const loss = pts(run, 'train/loss');
    assert.deepEqual(loss.step, [100, 200, 300]);
    assert.deepEqual(loss.value, [2.31, 2.05, 1.87]);
  });
});
