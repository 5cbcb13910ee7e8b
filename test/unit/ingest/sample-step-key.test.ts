/**
 * `sample` as a step key (issue 14, fix round 11): a reinforcement-learning agent counting the environment samples it
 * collected (`Sample 12000, up 60, …`), as other agents count timesteps. Synthetic lines; the case failed before.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('a record keyed by the samples collected', () => {
  test('`Sample N, up U, …, pi loss …` every 500 samples: the sample count is the step', async () => {
    const out: string[] = [];
    for (let n = 4000; n <= 9000; n += 500)
      out.push(
        `[2024-06-01 12:00:00,000][agents.sac][INFO] - Sample ${n}, up ${n / 20}, avg reward -0.${n % 7}10, ` +
          `pi loss -${(n / 10000).toFixed(3)}, q loss +0.2${n % 10}0, alpha 0.100`,
      );
    const r = await parse(lines(...out));
    const run = one(r);
    const s = pts(run, 'train/loss');
    assert.equal(s.step.length, 11);
    assert.equal(s.step[0], 4000);
    assert.equal(s.step[10], 9000);
    assert.equal(s.value[10], -0.9);
  });

  test('a count of samples (`Samples: 1013`, the plural) is no step', async () => {
    const out: string[] = [];
    for (let e = 0; e < 5; e++) out.push(`Epoch ${e} - Average Loss: ${(2 - e / 10).toFixed(4)}, Samples: 1013`);
    const run = one(await parse(lines(...out)));
    const s = pts(run, 'train/loss');
    assert.deepEqual(s.step, [0, 1, 2, 3, 4]);
  });
});
