/**
 * A training record whose values no key names a loss (`… - 267.19 equations/s - ARITHMETIC: 0.6156 - LR: 1e-4`, the
 * task's training loss under the task's name), and a separate evaluation record whose every key names an
 * evaluation split (`__log__:{"epoch": 0, "valid_arithmetic_xe_loss": 0.77, "valid_arithmetic_acc": 83.3}`): the
 * evaluation's loss names no training loss, so the training record's first value field that is not a speed or a
 * rate is the training loss (truth.mjs's rule; issue 14, hold-out 14's Slurm `.out`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, one, pts, lines } from './inferCase';

const train = (step: number, v: number) =>
  `INFO - 0:00:${String(step % 60).padStart(2, '0')} - ${String(step).padStart(7)} -  300.${step % 9} equations/s -  5400.${step % 7} words/s - ARITHMETIC:  ${v.toFixed(4)} - LR: 1.0000e-04`;
const evalRec = (epoch: number, v: number) =>
  `INFO - 0:01:00 - __log__:{"epoch": ${epoch}, "valid_arithmetic_xe_loss": ${v}, "valid_arithmetic_acc": ${80 + epoch}.5}`;

test('a loss named only in evaluation records leaves the training record its unnamed loss', async () => {
  const out: string[] = [];
  for (let e = 0; e < 3; e++) {
    for (let k = 1; k <= 4; k++) out.push(train(200 * (4 * e + k), 1 / (4 * e + k)));
    out.push(evalRec(e, 0.75 - e / 8));
  }
  const run = one(await parse(lines(...out)));
  assert.equal(run.metrics['train/loss']?.originalName, 'ARITHMETIC', Object.keys(run.metrics).join(', '));
  assert.equal(pts(run, 'train/loss').value.length, 12);
  assert.equal(pts(run, 'train/loss').value[11], 0.0833);
});
