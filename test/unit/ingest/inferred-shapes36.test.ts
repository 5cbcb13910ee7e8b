/**
 * The general reader on shapes left by session 33 (issue 14, session 34): synthetic lines, small enough that the
 * expected values are written by hand. Each case failed before its fix; the controls pin what must not change.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('names listed in one bracket and the values in the next name the values by place', () => {
  test('a logger line `[Mean Loss, Loss]: [3.5, 3.2]` after an epoch counter', async () => {
    const out = ['12:00:00 | run | starting'];
    for (let e = 1; e <= 6; e++)
      out.push(
        `12:00:0${e} | run | Epoch ${e * 5}   [Mean Loss, Loss]: [${(4 - e / 4).toFixed(2)}, ${(4 - e / 3).toFixed(3)}], 0`,
      );
    const run = one(await parse(lines(...out)));
    const loss = pts(run, 'train/loss');
    assert.deepEqual(loss.step, [5, 10, 15, 20, 25, 30]);
    assert.equal(loss.value[5], 2);
    assert.equal(pts(run, 'Mean Loss').value[5], 2.5);
  });
  test("Keras' metrics_names printed before the scores, quoted and with no separator", async () => {
    const out: string[] = [];
    for (let i = 1; i <= 4; i++) out.push(`['loss', 'acc'] [${(1 / i).toFixed(3)}, ${(0.5 + i / 10).toFixed(2)}]`);
    const run = one(await parse(lines(...out)));
    assert.deepEqual(pts(run, 'train/loss').value, [1, 0.5, 0.333, 0.25]);
    assert.equal(pts(run, 'accuracy').value[3], 0.9);
  });
  test('control: lists of different lengths are not paired', async () => {
    const out: string[] = [];
    for (let i = 1; i <= 4; i++) out.push(`step ${i * 10} loss: ${(2 / i).toFixed(3)} [a, b, c]: [${i}, ${i + 1}]`);
    const run = one(await parse(lines(...out)));
    assert.equal(pts(run, 'train/loss').value[3], 0.5);
    assert.equal(run.metrics['a'], undefined);
    assert.equal(run.metrics['b'], undefined);
  });
});

describe('a perplexity printed beside the value a record trains on is not the loss', () => {
  test('`Batch Energy: … | Perplexity: …`: the value named before the perplexity is the loss', async () => {
    const out: string[] = [];
    for (let b = 1; b <= 6; b++) {
      const e = 2 - b / 10;
      out.push(`Batch ${b * 10}/600 | Batch Energy: ${e.toFixed(4)} | Perplexity: ${Math.exp(e * 3).toFixed(2)}`);
    }
    const run = one(await parse(lines(...out)));
    assert.equal(pts(run, 'train/loss').value[5], 1.4);
  });
  test('control: a perplexity alone in its record (a language-model tutorial) is still the loss', async () => {
    const out: string[] = [];
    for (let i = 1; i <= 6; i++) out.push(`step ${i * 100} perplexity: ${(900 / i).toFixed(2)} speed: 8${i}00 wps`);
    const run = one(await parse(lines(...out)));
    assert.equal(pts(run, 'train/loss').value[5], 150);
  });
});

describe('a key that says loss in Chinese, Japanese or Korean names the loss wherever its record stands', () => {
  const cfg = "{'train': {'log_interval': 50, 'epochs': 9000, 'lr': 0.0002, 'betas': [0.9, 0.98], 'eps': 1e-09}}";
  test('a configuration dict printed before one record `损失：[…]，步数：0`', async () => {
    const run = one(
      await parse(lines(`12:00:01 | INFO | ${cfg}`, '12:00:09 | INFO | 损失：[3.25, 1.5, 9.75]，步数：0')),
    );
    assert.equal(pts(run, 'train/loss').value[0], 3.25);
  });
});
