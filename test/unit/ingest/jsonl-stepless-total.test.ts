/**
 * A JSONL log's planned total stated on a record without a step (issue 14, "planned totals found where stated"): a
 * config event's `num_steps` before the step records. Synthetic lines; the case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

const config = '{"event": "config", "lr": 1e-06, "num_steps": 6, "batch_size": 16, "warmup_steps": 2}';
const step = (i: number) =>
  `{"event": "step", "step": ${i}, "train/loss": ${(1 - i / 10).toFixed(2)}, "train/lr": 1e-06}`;
const counted = (i: number) => `{"step": ${i}, "num_steps": ${i * 8}, "loss": ${(1 - i / 10).toFixed(2)}}`;

describe('`num_steps` on a config record (no step key) is the planned total', () => {
  for (const [how, text] of [
    ['string path', lines(config, ...[0, 1, 2, 3, 4, 5].map(step), '{"event": "done", "num_steps": 6}')],
    ['byte path', Buffer.from(lines(config, ...[0, 1, 2, 3, 4, 5].map(step)))],
  ] as const) {
    test(how, async () => {
      const run = one(await parse(text, 'train_log.jsonl'));
      assert.deepEqual(pts(run, 'train/loss').step, [0, 1, 2, 3, 4, 5]);
      assert.equal(run.meta.totalSteps?.value, 6);
    });
  }
  test('a record with a step that counts something as `num_steps` states no plan', async () => {
    const run = one(await parse(lines(...[1, 2, 3].map(counted)), 'train_log.jsonl'));
    assert.equal(run.meta.totalSteps, undefined);
  });
});
