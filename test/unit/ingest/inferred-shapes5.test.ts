/**
 * The readers on the failure classes of the retired hold-out 5 (issue 14): synthetic lines modelled on each class,
 * small enough that the expected series is written by hand from the text (never taken from the reader's output).
 * Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

/** One key/value table record between rules of dashes (SB3 / OpenAI-baselines stdout). */
const table = (...rows: [string, string][]) => [
  '-'.repeat(30),
  ...rows.map(([k, v]) => `| ${k.padEnd(20)} | ${v.padEnd(8)} |`),
  '-'.repeat(30),
];

describe('key/value tables', () => {
  test('rows before the first rule (a log kept from its tail) do not decide the step key', async () => {
    const record = (steps: string, loss: string) =>
      table(['time/', ''], ['   iterations', '1'], ['   total_timesteps', steps], ['train/', ''], ['   loss', loss], ['   n_updates', '8']);
    const run = one(
      await parse(
        lines(
          '|    learning_rate        | 0.00025     |',
          '|    loss                 | 0.75        |',
          '|    n_updates            | 4           |',
          ...record('2048', '0.5'),
          ...record('4096', '0.25'),
          ...record('6144', '0.125'),
        ),
        'train.log',
      ),
    );
    assert.equal(run.format, 'kv-table');
    assert.deepEqual(pts(run, 'train/loss'), { step: [2048, 4096, 6144], value: [0.5, 0.25, 0.125] });
    assert.equal(run.meta.stepAxis?.value, 'time/total_timesteps');
  });
});
