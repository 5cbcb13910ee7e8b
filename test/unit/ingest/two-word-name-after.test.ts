/**
 * A value printed before a two-word name (issue 14; hold-out 18's Darknet YOLOv4 log, ` 1: 364.146759, 364.146759 avg
 * loss, 0.000000 rate, 0.641364 seconds, 48 images, -1.000000 hours left`): the name after the number may be a
 * qualifier and a metric word, ending the clause, as a one-word name already did (`2.3154 loss,`). The Darknet lines
 * were no records at all (2 points of a config line read instead of 1,136). Synthetic lines.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

const avg = (i: number) => +(300 / (i + 1) + 0.7).toFixed(6);

describe('a value before a two-word name', () => {
  test('Darknet: `N: loss, avg avg loss, lr rate, t seconds, n images, h hours left`', async () => {
    const out: string[] = ['mini_batch = 1, batch = 24, time_steps = 1, train = 0 ', 'Loaded: 0.000035 seconds'];
    for (let i = 1; i <= 40; i++) {
      out.push(
        ` ${i}: ${(avg(i) - 0.05).toFixed(6)}, ${avg(i).toFixed(6)} avg loss, 0.001000 rate, 0.6${i % 10} seconds, ${48 * i} images, ${(0.5 - i / 100).toFixed(6)} hours left`,
      );
      out.push('Loaded: 0.000050 seconds', '', ' (next mAP calculation at 1000 iterations) ');
    }
    const run = one(await parse(lines(...out), 'log_train.txt'));
    const s = pts(run, 'train/loss');
    assert.deepEqual(
      s.step,
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      s.value,
      Array.from({ length: 40 }, (_, i) => avg(i + 1)),
    );
  });

  test('a clause with a qualifier and the loss word, then a one-word score', async () => {
    const out = Array.from(
      { length: 30 },
      (_, i) => `iteration ${(i + 1) * 10} done, ${avg(i).toFixed(4)} mean loss, 0.${50 + i} acc`,
    );
    const run = one(await parse(lines(...out), 'train.log'));
    assert.deepEqual(
      pts(run, 'train/loss').value,
      Array.from({ length: 30 }, (_, i) => +avg(i).toFixed(4)),
    );
  });

  test('two words that name no metric name nothing (`0.5 hours left`)', async () => {
    const out = Array.from({ length: 30 }, (_, i) => `step ${i + 1}: loss ${avg(i).toFixed(4)}, ${i}.5 hours left`);
    const run = one(await parse(lines(...out), 'train.log'));
    assert.ok(!Object.keys(run.metrics).some((k) => /hours/.test(k)), Object.keys(run.metrics).join(', '));
    assert.equal(pts(run, 'train/loss').step.length, 30);
  });
});
