/**
 * Trainings appended to one file, each closed by a line saying it ended (issue 14, fix round 11): synthetic lines,
 * small enough that the expected values are written by hand. Each case failed before its rule.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';
import { endLineKind } from '../../../src/ingest/metaLines';
import { finishedTrainings } from '../../../src/ingest/infer/trainings';

/**
 * One launch of a trainer behind a bracketed time and a logger name: a record every 25 iterations up to `until`, then
 * its duration (`closing`), then — when `after` is given — one last record the closing hooks write after it.
 */
function launch(until: number, base: number, after?: number, closing = true): string[] {
  const out = ['(05-06 08:00:00) solver.core INFO: starting from iteration 0'];
  for (let it = 24; it <= until; it += 25)
    out.push(`(05-06 08:00:01) metrics.log INFO:  iter: ${it}  loss_sum: ${(base - it / 1000).toFixed(3)}  lr: 0.02`);
  if (closing) out.push('(05-06 08:02:00) solver.callbacks INFO: Total training time: 0:01:59 (0:00:02 on hooks)');
  if (after !== undefined)
    out.push(
      `(05-06 08:02:00) metrics.log INFO:  iter: ${after}  loss_sum: ${(base - after / 1000).toFixed(3)}  lr: 0.02`,
    );
  return out;
}

describe('a finished training followed by one from the start', () => {
  test('`Total training time: … (… on hooks)` behind a logger name and level ends a training', () => {
    assert.equal(endLineKind('solver.callbacks INFO: Total training time: 0:01:59 (0:00:02 on hooks)'), 'completed');
    assert.equal(endLineKind('Total training time: 0:01:59 (0:00:02 on hooks)'), 'completed');
    assert.equal(endLineKind('INFO - Training time 12 minutes and 3 seconds'), 'completed');
    // a record with a time among its values is none
    assert.equal(endLineKind('INFO: Training time: 3.1s, loss: 0.52'), undefined);
  });

  test('three launches, each closed by its duration line: three runs', async () => {
    const r = await parse(lines(...launch(199, 3), ...launch(124, 4), ...launch(299, 5)));
    const loss = r.runs.map((run) => pts(run, 'loss_sum'));
    assert.deepEqual(
      loss.map((s) => s.value.length),
      [8, 5, 12],
    );
    const last = loss[loss.length - 1];
    assert.equal(last.step[last.step.length - 1], 299);
    assert.equal(last.value[last.value.length - 1], 4.701);
  });

  test('the last record written just after the duration line stays in the launch it ends', async () => {
    // the second launch stops at 149 of its loop; its closing hooks print the iteration-149 record after the end line
    const r = await parse(lines(...launch(199, 3), ...launch(124, 4, 149), ...launch(299, 5)));
    const loss = r.runs.map((run) => pts(run, 'loss_sum'));
    assert.deepEqual(
      loss.map((s) => s.value.length),
      [8, 6, 12],
    );
    assert.equal(loss[1].step[5], 149);
    assert.equal(loss[1].value[5], 3.851);
  });

  test('launches without a closing line stay attempts of one training', async () => {
    const r = await parse(lines(...launch(199, 3, undefined, false), ...launch(124, 4, undefined, false)));
    assert.equal(r.runs.length, 1);
    const s = pts(r.runs[0], 'loss_sum');
    assert.equal(s.value.length, 8);
  });
});

describe("an earlier training's end line counts for no later one", () => {
  test('a record at the step of the one before it, after an end line, is the next training: no end of its own', () => {
    // rows: steps 0, 1, 2, 5, an end line (line 15), step 5 again (another training's only record, no step back to
    // its start), then a step back to 0 with no end line since that record: no split there
    assert.deepEqual(
      finishedTrainings([0, 1, 2, 5, 5, 0, 1], [10, 11, 12, 13, 20, 30, 31], [15], () => false),
      [],
    );
    // the same with a step forward after the end line (`iter 171` printed after `Total training time`): the end line
    // is the training's, and the step back after that record starts the next
    assert.deepEqual(
      finishedTrainings([1, 2, 3, 4, 1, 2], [10, 11, 12, 14, 20, 21], [13], () => false),
      [20],
    );
  });
});
