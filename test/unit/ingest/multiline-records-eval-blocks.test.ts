/**
 * Records printed over several lines, evaluation blocks under an announcement, and the bare `loss` beside its
 * components (issue 14; hold-out 17's PaddlePaddle Knover worker log). Knover prints each training record as
 * `[train][1] progress: 1/1 step: 100, time: …, speed: …`, then a tab-indented `current lr:` line and a tab-indented
 * `lm_loss: …, ppl: …, loss: …` line; every 1,000 steps an `Evaluation:` line heads one `step N:lm_loss: …` line per
 * evaluation batch. The reader took the evaluation batches as the training loss (15,514 points against 1,124) and
 * numbered the real loss lines in record order. Synthetic lines; each case failed before the change.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

/** A Knover-like log: `steps` training records of three lines, an evaluation block of `batches` lines every `every`. */
function knover(steps: number[], every: number, batches: number): string[] {
  const out: string[] = [];
  for (const s of steps) {
    out.push(`[train][1] progress: 1/1 step: ${s}, time: 3.${s % 7}91, speed: 26.${s % 5}78 steps/s`);
    out.push(`\tcurrent lr: ${(s * 1e-8).toFixed(7)}`);
    out.push(
      `\tlm_loss: ${(3 + 1000 / s).toFixed(4)}, ppl: ${Math.exp(3 + 1000 / s).toFixed(4)}, loss: ${(5 + 1000 / s).toFixed(4)}`,
    );
    if (s % every === 0) {
      out.push('Evaluation:');
      for (let b = 1; b <= batches; b++)
        out.push(
          `\tstep ${b * 100}:lm_loss: ${(2 + b / 100).toFixed(4)}, ppl: 9.${b}, loss: ${(2.5 + b / 100).toFixed(4)}`,
        );
      out.push(`[Evaluation][${s}]lm_loss: 2.1000, ppl: 8.1662, loss: 2.6000`);
      out.push('\ttime cost: 12.5');
    }
  }
  return out;
}

describe('a record printed over several lines takes the step of its first line', () => {
  test('Knover-style three-line records: the loss line keyed by the step above it', async () => {
    const steps = Array.from({ length: 30 }, (_, i) => (i + 1) * 100);
    const run = one(await parse(lines(...knover(steps, 1000, 12)), 'workerlog.0'));
    const loss = pts(run, 'train/loss');
    assert.deepEqual(loss.step, steps);
    // the bare `loss` (the total), not the `lm_loss` component printed before it
    assert.deepEqual(
      loss.value,
      steps.map((s) => +(5 + 1000 / s).toFixed(4)),
    );
  });

  test('a loss line far below any record line is still numbered in record order', async () => {
    const out: string[] = [];
    for (let i = 1; i <= 20; i++) {
      out.push(`step: ${i * 10}, time: 1.5`, 'a', 'b', 'c', 'd', `\tloss: ${(3 - i / 100).toFixed(3)}`);
    }
    const run = one(await parse(lines(...out), 'train.log'));
    assert.deepEqual(
      pts(run, 'train/loss').step,
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });
});

describe('an evaluation announcement heads a block of records', () => {
  test('every line of the block after `Evaluation:` is evaluation, not only the first', async () => {
    const steps = Array.from({ length: 30 }, (_, i) => (i + 1) * 100);
    const run = one(await parse(lines(...knover(steps, 1000, 12)), 'workerlog.0'));
    const loss = pts(run, 'train/loss');
    assert.equal(loss.step.length, 30);
    assert.ok(Math.min(...loss.value) > 5, `an evaluation batch's loss taken as training: ${loss.value.join(',')}`);
  });

  test('the block ends at a line of another shape: later training lines of that shape are training', async () => {
    const out: string[] = [];
    for (let e = 1; e <= 6; e++) {
      for (let s = 1; s <= 5; s++) out.push(`step ${(e - 1) * 5 + s}: loss ${(4 - e / 10 - s / 100).toFixed(4)}`);
      out.push('Validation:');
      out.push(`step ${e * 5}: loss ${(9 - e / 10).toFixed(4)}`);
      out.push(`val summary: acc 0.${e}0`);
    }
    const run = one(await parse(lines(...out), 'train.log'));
    const loss = pts(run, 'train/loss');
    assert.equal(loss.step.length, 30);
    assert.ok(Math.max(...loss.value) < 5, `a validation line taken as training: ${loss.value.join(',')}`);
  });
});
