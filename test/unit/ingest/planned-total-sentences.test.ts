/**
 * The general reader's planned total from settings printed in the log (issue 14, "planned totals found where
 * stated"): synthetic lines modelled on the dev corpus's misses, written by hand. Each case failed before its fix.
 *  - a config dump that prints another loop's count after the plan (yacs' `PRECISE_BN: NUM_ITER: 200` below
 *    `SOLVER: MAX_ITER: 90000`): a count below the last logged step is not the run's plan;
 *  - a sentence that gives the unit after the number (`Starting training for 19073 steps`, `37500 max iterations`).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';

const iterRow = (i: number, loss: string) => `eta: 0:10:00  iter: ${i}  total_loss: ${loss}  lr: 0.0200`;

describe('a count printed after the plan that the run has already gone past is not its plan', () => {
  test('SOLVER: MAX_ITER: 90000 then PRECISE_BN: NUM_ITER: 200, then iterations 19 … 399', async () => {
    const r = await parse(
      lines(
        'SOLVER:',
        '  BASE_LR: 0.02',
        '  MAX_ITER: 90000',
        'TEST:',
        '  PRECISE_BN:',
        '    NUM_ITER: 200',
        ...[19, 39, 59, 79, 99, 199, 299, 399].map((i, k) => iterRow(i, (3 - k * 0.25).toFixed(2))),
      ),
    );
    assert.equal(r.runs.length, 1);
    assert.equal(pts(r.runs[0], 'total_loss').step.length, 8);
    assert.equal(r.runs[0].meta.totalSteps?.value, 90000);
  });
  test('a relaunch that raised MAX_ITER: the plan printed last before the last point', async () => {
    const r = await parse(
      lines(
        '  MAX_ITER: 300',
        '    NUM_ITER: 200',
        ...[19, 39, 59].map((i) => iterRow(i, '2.50')),
        '  MAX_ITER: 1000',
        '    NUM_ITER: 200',
        ...[259, 279, 299, 319, 339].map((i) => iterRow(i, '2.00')),
      ),
    );
    assert.equal(r.runs[0].meta.totalSteps?.value, 1000);
  });
});

describe('a sentence with the unit after the number states the planned total', () => {
  const stepRow = (i: number, loss: string) => `step ${i} | loss ${loss} | lr 6.0e-04 | norm 0.91 | dt 120.5ms`;
  for (const [said, total] of [
    ['2026-01-17 04:38:27 - trainer - INFO - Starting training for 19073 steps', 19073],
    ['We will train for a total of 5000 iterations', 5000],
    ['125 iterations per epoch. 37500 max iterations', 37500],
  ] as const) {
    test(`\`${said}\` → ${total}`, async () => {
      const r = await parse(lines(said, ...[1, 2, 3, 4, 5, 6].map((i) => stepRow(i * 10, (4 - i * 0.1).toFixed(2)))));
      assert.equal(pts(r.runs[0], 'train/loss').step.length, 6);
      assert.equal(r.runs[0].meta.totalSteps?.value, total);
    });
  }
  test('an epoch count is not a total of steps; a rate or an interval is not a total', async () => {
    const stepRows = [1, 2, 3, 4, 5, 6].map((i) => stepRow(i * 10, (4 - i * 0.1).toFixed(2)));
    for (const said of [
      'Training for 90 epochs',
      'logging every 500 training steps',
      '1000 training steps per epoch',
    ]) {
      const r = await parse(lines(said, ...stepRows));
      assert.equal(r.runs[0].meta.totalSteps, undefined, said);
    }
  });
});

describe("an N/M step counter whose M changes: the plan in force at the series' last point", () => {
  const row = (n: number, m: number, loss: string) => `  step ${n}/${m} loss=${loss} ema=6.0 lr=1.0e-04 eta=4.3min`;
  test('a run in two stages, `step 50/182` … then `step 382/12777` …: 12777', async () => {
    const r = await parse(
      lines(
        row(50, 182, '6.59'),
        row(100, 182, '5.33'),
        row(150, 182, '4.81'),
        row(382, 12777, '6.37'),
        row(582, 12777, '5.95'),
      ),
    );
    assert.deepEqual(pts(r.runs[0], 'train/loss').step, [50, 100, 150, 382, 582]);
    assert.equal(r.runs[0].meta.totalSteps?.value, 12777);
  });
  test('an unchanged M stays the plan', async () => {
    const r = await parse(lines(row(10, 500, '6.59'), row(20, 500, '5.33'), row(30, 500, '4.81')));
    assert.equal(r.runs[0].meta.totalSteps?.value, 500);
  });
});

describe('`Total steps` with a colon or an equals sign', () => {
  const stepRow = (i: number, loss: string) =>
    `step ${String(i).padStart(5)} | loss: ${loss} | lr: 0.0006 | dt: 120.5ms`;
  for (const [said, total] of [
    ['total steps: 3834 | grad accum steps: 16 | warmup_steps: 191', 3834],
    ['   \\\\   /|    Num examples = 7,225 | Num Epochs = 5 | Total steps = 500', 500],
  ] as const)
    test(`\`${said.trim()}\` → ${total}`, async () => {
      const r = await parse(lines(said, ...[1, 2, 3, 4].map((i) => stepRow(i * 10, (4 - i * 0.1).toFixed(2)))));
      assert.equal(r.runs[0].meta.totalSteps?.value, total);
    });
});
