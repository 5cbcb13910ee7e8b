/**
 * A training resumed from a checkpoint, whose log says where it resumed (issue 14, fix round 11): the epoch-keyed
 * records after that line continue the global step from there. Synthetic lines, small enough that the expected values
 * are written by hand. Each case failed before its rule.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

/** Records `Epoch [e][i/400]` every 100 iterations of epochs `from`…`to`, behind a dated logger prefix. */
function epochs(from: number, to: number): string[] {
  const out: string[] = [];
  for (let e = from; e <= to; e++)
    for (let i = 100; i <= 400; i += 100)
      out.push(
        `2024-03-02 11:00:00,100 - poseproj - INFO - Epoch [${e}][${i}/400]\tlr: 2.000e-04, eta: 1:00:00, time: 0.512, ` +
          `data_time: 0.020, memory: 3100, aux_loss: 0.0500, loss: ${(2 - e / 10 - i / 10000).toFixed(4)}`,
      );
  return out;
}

describe('a runner resumed from a checkpoint', () => {
  test('`resumed epoch E, iter I` before records from epoch E + 1: the step goes on from I', async () => {
    const r = await parse(
      lines(
        '2024-03-02 10:59:58,000 - poseproj - INFO - load checkpoint from local path: work/run1/epoch_5.pth',
        '2024-03-02 10:59:59,000 - poseproj - INFO - resumed epoch 5, iter 2000',
        '2024-03-02 10:59:59,500 - poseproj - INFO - workflow: [(train, 1)], max: 12 epochs',
        ...epochs(6, 7),
      ),
    );
    const s = pts(one(r), 'train/loss');
    assert.equal(s.step.length, 8);
    // epoch 6, iteration 100: 2000 + 100
    assert.equal(s.step[0], 2100);
    assert.equal(s.step[7], 2800);
    assert.equal(s.value[7], 1.26);
  });

  test('MMEngine spelling (`resumed epoch: E, iter: I`)', async () => {
    const r = await parse(
      lines('2024-03-02 10:59:59,000 - poseproj - INFO - resumed epoch: 5, iter: 2000', ...epochs(6, 7)),
    );
    const s = pts(one(r), 'train/loss');
    assert.equal(s.step[0], 2100);
  });

  test('without a resume line the origin stays the guess (epochs from 0)', async () => {
    const r = await parse(lines(...epochs(6, 7)));
    const s = pts(one(r), 'train/loss');
    assert.equal(s.step[0], 2500);
  });

  test('a resume line whose numbers do not fit the epochs says nothing', async () => {
    const r = await parse(
      lines('2024-03-02 10:59:59,000 - poseproj - INFO - resumed epoch 2, iter 800', ...epochs(6, 7)),
    );
    const s = pts(one(r), 'train/loss');
    assert.equal(s.step[0], 2500);
  });
});

describe('a progress bar over one epoch after a resume', () => {
  /** A bar's draws at positions 0, 10, …, `to` of an epoch of 200 batches, each with its loss postfix. */
  function bar(epoch: number, to: number): string[] {
    const out: string[] = [];
    for (let n = 0; n <= to; n += 10)
      out.push(
        `Epoch ${epoch}/20 [Train]:  ${Math.floor(n / 2)}%|##   | ${n}/200 [00:${String(n % 60).padStart(2, '0')}<01:00, ` +
          ` 3.10it/s, loss=${(1 - n / 1000).toFixed(4)}, lr=1.00e-05]`,
      );
    return out;
  }

  test('`Resuming from epoch E` then a bar of epoch E + 1 killed within it: step = E × 200 + position', async () => {
    const r = await parse(
      lines(
        '2025-01-10 08:00:00,000 - finetune - INFO - Using a linear schedule with 100 warmup steps.',
        '2025-01-10 08:00:01,000 - finetune - INFO - Resuming from epoch 12',
        ...bar(13, 150),
      ),
    );
    const s = pts(one(r), 'train/loss');
    assert.equal(s.step.length, 16);
    assert.equal(s.step[0], 2400);
    assert.equal(s.step[15], 2550);
    assert.equal(s.value[15], 0.85);
  });

  test('without the resume line the bar keeps its own position', async () => {
    const r = await parse(lines(...bar(13, 150)));
    const s = pts(one(r), 'train/loss');
    assert.equal(s.step[0], 0);
    assert.equal(s.step[15], 150);
  });
});
