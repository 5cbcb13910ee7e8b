/**
 * Values printed inside a framework's scalar wrapper (`tensor(2.31, device='cuda:0')`, `tf.Tensor(8.07, shape=(),
 * dtype=float32)`, `np.float32(3.1)`, `array(0.5, dtype=float32)`): the value is keyed by the word before the
 * wrapper, and the device index inside it is not a series. Hold-out 15 and dev logs print losses this way (a junk
 * `cuda` series of zeros, losses named `tensor` or `loss np.float32`). Each case failed before the rule.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('a loss printed inside a scalar wrapper is keyed by the word before it', () => {
  const L = ['4.0', '3.5', '3.25', '3.125'];
  const cases: [string, (i: number, v: string) => string, string[]][] = [
    [
      'loss: tensor(V, device=cuda:0, grad_fn=…)',
      (i, v) => `step ${i * 10} loss: tensor(${v}, device='cuda:0', grad_fn=<NllLossBackward0>) lr 0.001`,
      ['lr', 'train/loss'],
    ],
    [
      'train_loss=tensor(V, device=cuda:1)',
      (i, v) => `Epoch ${i * 10}: train_loss=tensor(${v}, device='cuda:1')`,
      ['train/loss'],
    ],
    [
      'loss tf.Tensor(V, shape=(), dtype=float32)',
      (i, v) => `step ${i * 10} loss tf.Tensor(${v}, shape=(), dtype=float32)`,
      ['train/loss'],
    ],
    ['loss np.float32(V)', (i, v) => `iter ${i * 10} loss np.float32(${v})`, ['train/loss']],
    [
      "'loss': tensor([V], device='npu:0')",
      (i, v) => `{'step': ${i * 10}, 'loss': tensor([${v}], device='npu:0')}`,
      ['train/loss'],
    ],
  ];
  for (const [name, fmt, names] of cases)
    test(name, async () => {
      const run = one(await parse(lines(...L.map((v, i) => fmt(i, v))), 'train.log'));
      assert.deepEqual(pts(run, 'train/loss'), { step: [0, 10, 20, 30], value: L.map(Number) });
      assert.deepEqual(Object.keys(run.metrics).sort(), names, 'no series of the device index or of the wrapper');
    });
  test('a validation loss in tf.Tensor beside a training loss in tensor(): two series, by their own keys', async () => {
    const text = lines(
      ...L.map(
        (v, i) =>
          `Epoch ${i}: train_loss=tensor(${v}, device='cuda:0') val_loss=tf.Tensor(${Number(v) + 0.5}, shape=(), dtype=float32)`,
      ),
    );
    const run = one(await parse(text, 'train.log'));
    assert.deepEqual(pts(run, 'val/loss').value, [4.5, 4, 3.75, 3.625]);
    assert.deepEqual(pts(run, 'train/loss').value, L.map(Number));
  });
  test('a word that is not a wrapper before `(` keys as before (`train loss(phase): V`)', async () => {
    const run = one(await parse(lines(...L.map((v, i) => `epoch ${i} train loss(phase): ${v}`)), 'train.log'));
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2, 3], value: L.map(Number) });
  });
});
