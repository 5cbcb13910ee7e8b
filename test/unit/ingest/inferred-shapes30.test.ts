/**
 * The general reader on the shapes of hold-out 24's misses (issue 14, fix round 10): synthetic lines, small enough
 * that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';

/**
 * One launch of a trainer that dumps its config (a schedule's milestones as a tuple under a step key), then prints a
 * record every 10 iterations and closes with its duration behind a logger name and level; `cut`: the launch stops
 * there, the closing hooks writing one more record after the duration line.
 */
function launch(milestones: string, until: number, base: number, cut?: number, closing = true): string[] {
  const out = [
    '[01/02 10:00:00] trainer INFO: Rank of current process: 0. World size: 1',
    '[01/02 10:00:00] trainer INFO: Running with full config:',
    'SOLVER:',
    '  BASE_LR: 0.0001',
    `  STEPS: (${milestones})`,
    '  WARMUP_ITERS: 10',
    '[01/02 10:00:01] engine.loop INFO: Starting training from iteration 0',
  ];
  for (let it = 9; it <= until; it += 10)
    out.push(
      `[01/02 10:00:02] utils.events INFO:  eta: 0:01:00  iter: ${it}  total_loss: ${base - it / 100}  lr: 0.001`,
    );
  if (closing) out.push('[01/02 10:01:00] engine.hooks INFO: Total training time: 0:01:00 (0:00:01 on hooks)');
  if (cut !== undefined)
    out.push(
      `[01/02 10:01:00] utils.events INFO:  eta: 0:01:00  iter: ${cut}  total_loss: ${base - cut / 100}  lr: 0.001`,
    );
  return out;
}

describe('launches appended to one file, each with a config dump', () => {
  test('a step key over a tuple of milestones (`STEPS: (400, 600)`) is no header: the step is the iteration', async () => {
    // (two launches without a closing line: attempts of one training, last write per step)
    const r = await parse(
      lines(...launch('400, 600', 99, 9, undefined, false), ...launch('500, 700', 99, 8, undefined, false)),
    );
    assert.equal(r.runs.length, 1);
    const s = pts(r.runs[0], 'total_loss');
    assert.equal(s.value.length, 10);
    assert.equal(s.step[9], 99);
    assert.equal(s.value[9], 7.01);
  });
});

describe("a training's closing summary record", () => {
  /** One training: `step N | loss=… | lr=…` every 10 steps, then the summary of the whole training and an end line. */
  const training = (base: number) => {
    const out: string[] = ['2026-01-05 09:00:00,001 - main - INFO - Training config: {"epochs": 2}'];
    for (let st = 10; st <= 60; st += 10)
      out.push(
        `2026-01-05 09:00:10,002 - loop - INFO - step ${st} | loss=${(base - st / 100).toFixed(4)} | lr=0.00002`,
      );
    out.push(
      '2026-01-05 09:01:00,003 - loop - INFO - step 63 | train_runtime=61.5 | train_samples_per_second=16.2 | ' +
        'train_steps_per_second=1.02 | train_loss=0.9876',
    );
    out.push('2026-01-05 09:01:01,004 - main - INFO - Training complete. Model saved to out/');
    return out;
  };
  test('the summary (`train_runtime=… | train_loss=…`) gives no point: the last point is the last record', async () => {
    const r = await parse(lines(...training(2), ...training(1.5)));
    const loss = r.runs.map((run) => pts(run, 'train/loss'));
    assert.equal(
      loss.reduce((n, s) => n + s.value.length, 0),
      12,
    );
    const last = loss[loss.length - 1];
    assert.equal(last.step[last.step.length - 1], 60);
    assert.equal(last.value[last.value.length - 1], 0.9);
  });
});

describe('a MetricLogger header naming the epoch over the data', () => {
  test('`Train: data epoch: [e]  [i/M]`: the step is e × M + i', async () => {
    const rows: string[] = [];
    for (let e = 0; e < 3; e++) {
      for (let i = 0; i <= 80; i += 40)
        rows.push(
          `Train: data epoch: [${e}]  [${String(i).padStart(3)}/81]  eta: 0:00:30  lr: 0.000100  ` +
            `loss: ${(4 - e - i / 100).toFixed(4)}  time: 0.5  data: 0.0001  max mem: 1024`,
        );
      rows.push(`Train: data epoch: [${e}] Total time: 0:00:40 (0.5 s / it)`);
    }
    const r = await parse(lines(...rows));
    const s = pts(r.runs[r.runs.length - 1], 'train/loss');
    assert.deepEqual(s.step, [0, 40, 80, 81, 121, 161, 162, 202, 242]);
    assert.equal(s.value[8], 1.2);
  });
});
