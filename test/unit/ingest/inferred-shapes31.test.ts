/**
 * The general reader on the shapes of hold-out 25's misses (issue 14, fix round 13): synthetic lines, small enough
 * that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';
import type { ParseResult } from '../../../src/ingest/types';

/** Series names of every run that hold a weekday or month word (a date's numbers read as values). */
const dateNamed = (r: ParseResult) =>
  r.runs.flatMap((x) =>
    Object.keys(x.metrics).filter((k) => /\b(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|oct|nov|dec)\b/i.test(k)),
  );

describe('a date written with its weekday and month names is literal text', () => {
  /** Launches of a script that prints `time.ctime()` (or `date`'s output) on its start and end lines. */
  function launches(dates: string[], endWord = 'done at'): string {
    const out: string[] = [];
    dates.forEach((d, j) => {
      out.push(`job begins ${d}`, 'options:', '  rate: 0.01', '  epochs: 12');
      const n = j === 1 ? 4 : 12;
      for (let e = 1; e <= n; e++) out.push(`epoch ${e}/12 - cost ${(4 - e / 10 - j / 100).toFixed(3)} - took 3.1s`);
      if (n === 12) out.push(`job ${endWord} ${d} (wall 37.2 s)`);
    });
    return lines(...out);
  }

  test('ctime form (`Tue Feb 10 08:07:06 2026`, a day padded with a blank): no series named after the date', async () => {
    const r = await parse(
      launches([
        'Tue Feb 10 08:07:06 2026',
        'Tue Feb 10 09:17:36 2026',
        'Wed Feb 11 11:00:59 2026',
        'Mon Mar  2 07:01:02 2026',
      ]),
    );
    assert.deepEqual(dateNamed(r), []);
    const last = r.runs[r.runs.length - 1];
    const s = pts(last, 'train/loss');
    assert.equal(s.value.length, 12);
    assert.equal(s.value[11], 2.77);
  });

  test("the `date` command's forms (zone before the year; day before the month; RFC 2822)", async () => {
    for (const ds of [
      ['Tue Feb 10 08:07:06 CET 2026', 'Tue Feb 10 09:17:36 CET 2026', 'Wed Feb 11 11:00:59 CET 2026'],
      ['Tue 10 Feb 2026 08:07:06 AM UTC', 'Tue 10 Feb 2026 09:17:36 AM UTC', 'Wed 11 Feb 2026 11:00:59 AM UTC'],
      ['Tue, 10 Feb 2026 08:07:06 +0000', 'Tue, 10 Feb 2026 09:17:36 +0000', 'Wed, 11 Feb 2026 11:00:59 +0000'],
    ]) {
      const r = await parse(launches(ds));
      assert.deepEqual(dateNamed(r), [], ds[0]);
    }
  });

  test('a weekday word that starts no date stays text', async () => {
    // (`Sun 3 …` is no date: the number keeps its key)
    const r = await parse(
      lines(...Array.from({ length: 6 }, (_, i) => `Sun ${i + 1} rays, loss ${(2 - i / 10).toFixed(2)}`)),
    );
    const run = r.runs[0];
    assert.equal(pts(run, 'train/loss').value.length, 6);
  });
});

describe('a progress bar whose count runs past its stated total', () => {
  /**
   * `epochs` epochs of a tqdm bar told `total=6` over a loader that yields `n` batches: past 6/6 tqdm drops the total
   * and draws `Epoch 2: 7it […]`; the states are joined by carriage returns, the epoch's mean on a line of its own.
   */
  function bars(epochs: number, n: number): string {
    const out: string[] = [];
    for (let e = 1; e <= epochs; e++) {
      const states: string[] = [];
      for (let i = 1; i <= n; i++) {
        const loss = (9 - e - i / 100).toFixed(2);
        states.push(
          i <= 6
            ? `Epoch ${e}: ${String(Math.round((100 * i) / 6)).padStart(3)}%|${'█'.repeat(i)}${' '.repeat(6 - i)}| ${i}/6 [00:0${i}<00:0${6 - i}, 1.02it/s, loss=${loss}]`
            : `Epoch ${e}: ${i}it [00:0${i}, 1.02it/s, loss=${loss}]`,
        );
      }
      out.push(states.join('\r'), `Epoch ${e} mean: ${(9 - e).toFixed(3)}`);
    }
    return lines(...out);
  }

  test('the draws past the total continue the epoch: epoch × (largest count) + count, no point lost', async () => {
    const r = await parse(bars(4, 9));
    const s = pts(r.runs[r.runs.length - 1], 'train/loss');
    assert.equal(s.value.length, 36);
    assert.equal(s.step[35], 36);
    assert.equal(s.value[35], 4.91);
    // (every step once, in order)
    assert.deepEqual(
      s.step,
      Array.from({ length: 36 }, (_, i) => i + 1),
    );
  });
});

describe("a key/value table whose only step is the baselines logger's running total", () => {
  /** Stable-Baselines 2 / OpenAI baselines tables: alphabetical rows, `total_timesteps` at the top level, no section. */
  function tables(n: number, indent = ''): string {
    const out: string[] = [];
    for (let i = 1; i <= n; i++) {
      out.push(`${indent}${'-'.repeat(36)}`);
      for (const [k, v] of [
        ['approxkl', (i / 1e4).toFixed(6)],
        ['fps', '212'],
        ['n_updates', String(i)],
        ['policy_loss', (-0.01 * i).toFixed(4)],
        ['serial_timesteps', String(64 * i)],
        ['total_timesteps', String(256 * i)],
        ['value_loss', (50 - i).toFixed(2)],
      ])
        out.push(`${indent}| ${k.padEnd(18)} | ${v.padEnd(12)} |`);
    }
    out.push(`${indent}${'-'.repeat(36)}`);
    return lines(...out);
  }

  test('`total_timesteps` (and `TimestepsSoFar`) is the step, as `time/total_timesteps` is', async () => {
    for (const [text, key] of [
      [tables(7), 'total_timesteps'],
      [tables(7, '    '), 'total_timesteps'],
      [tables(7).replace(/total_timesteps /g, 'TimestepsSoFar  '), 'TimestepsSoFar'],
    ]) {
      const r = await parse(text);
      const run = r.runs[r.runs.length - 1];
      assert.equal(run.meta.stepAxis?.value, key);
      const s = pts(run, 'policy_loss');
      assert.deepEqual(s.step, [256, 512, 768, 1024, 1280, 1536, 1792]);
      assert.equal(s.value[6], -0.07);
    }
  });

  test('the timesteps asked of `learn()` before the tables, or a `Timesteps:` banner, are the planned total', async () => {
    const call = [
      'model = PPO2(MlpPolicy, env, verbose=1)',
      'model.learn(total_timesteps=2000)',
      '',
      '    Wrapping the env in a DummyVecEnv.',
    ].join('\n');
    const banner = ['==========', 'Algorithm: PPO', 'Timesteps: 2,000', '=========='].join('\n');
    for (const [head, tail] of [
      [call, 'model.learn(total_timesteps=90000)'],
      [banner, ''],
    ]) {
      const r = await parse(`${head}\n${tables(7)}${tail}\n`);
      assert.equal(r.runs[r.runs.length - 1].meta.totalSteps?.value, 2000);
    }
    // (an evaluation's `num_timesteps=` is the count so far, no plan)
    const r = await parse(`Eval num_timesteps=1792, episode_reward=3.1\n${tables(7)}`);
    assert.equal(r.runs[r.runs.length - 1].meta.totalSteps, undefined);
  });
});
