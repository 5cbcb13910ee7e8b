/**
 * The CLI on the bundled sample workspace (what `npm run demo` opens): every run parsed with the parameter count
 * its own points table states, the sweep fit recovering the law the workspace was generated from (Hoffmann et
 * al. 2022: E 1.69, A 406.4, B 410.7, α 0.34, β 0.28; sample-workspace/README.md) with intervals that cover it,
 * the folder's summary table not double-counted, and a half-run forecast covering the logged final loss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { cli } from './helpers';

const WS = path.join(REPO, 'sample-workspace');
const TRUE = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };

/** points.csv read here with plain string splitting: the table the generator wrote next to the logs. */
function pointsTable(): { N: number; D: number; loss: number }[] {
  const [, ...rows] = fs
    .readFileSync(path.join(WS, 'sweep', 'points.csv'), 'utf8')
    .trim()
    .split('\n');
  return rows.map((r) => {
    const [N, D, loss] = r.split(',').map(Number);
    return { N, D, loss };
  });
}

test('parse sample-workspace: 13 runs in five formats, N as the points table states it', () => {
  const r = cli(['parse', WS, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout) as {
    runs: {
      path: string;
      format: string;
      params: number | null;
      metrics: Record<string, { step: number[]; value: (number | null)[] }>;
    }[];
  };
  assert.equal(o.runs.length, 13);
  assert.deepEqual([...new Set(o.runs.map((x) => x.format))].sort(), [
    'hf-trainer-state',
    'jsonl',
    'lightning-csv',
    'megatron',
    'nanogpt',
  ]);
  const table = pointsTable();
  const sweepRuns = o.runs.filter((x) => x.path.includes(`${path.sep}sweep${path.sep}`));
  assert.equal(sweepRuns.length, table.length);
  const tableN = new Set(table.map((p) => p.N));
  for (const run of sweepRuns) {
    assert.ok(run.params !== null, `${run.path}: a parameter count`);
    const nearest = [...tableN].reduce((b, n) => (Math.abs(n - run.params!) < Math.abs(b - run.params!) ? n : b));
    assert.ok(
      Math.abs(nearest - run.params!) / nearest < 1e-3,
      `${run.path}: N ${run.params} vs the table's ${nearest}`,
    );
    const loss = run.metrics['val/loss'] ?? run.metrics['train/loss'];
    assert.ok(loss && loss.step.length > 5, `${run.path}: a loss curve`);
  }
});

test('fit sample-workspace/sweep: each experiment once, the generating law recovered and inside its 95 % intervals', () => {
  const r = cli(['fit', path.join(WS, 'sweep'), '--law', 'chinchilla', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout) as {
    n: number;
    params: Record<string, number>;
    intervals: Record<string, [number, number]>;
    bootstrap: number;
    diagnostics: { severity: string; message: string }[];
  };
  assert.equal(o.n, 10, 'ten runs; the ten points.csv rows repeat them and are not counted again');
  assert.ok(
    o.diagnostics.some((d) => d.severity === 'info' && /10 row\(s\) repeat runs/.test(d.message)),
    'the user is told why',
  );
  assert.ok(o.bootstrap >= 100, 'intervals by default');
  assert.ok(Math.abs(o.params.E - TRUE.E) < 0.05, `E ${o.params.E}`);
  assert.ok(Math.abs(o.params.alpha - TRUE.alpha) < 0.02, `α ${o.params.alpha}`);
  assert.ok(Math.abs(o.params.beta - TRUE.beta) < 0.02, `β ${o.params.beta}`);
  for (const [k, v] of Object.entries(TRUE)) {
    const [lo, hi] = o.intervals[k];
    assert.ok(lo <= v && v <= hi, `${k}: ${v} in [${lo}, ${hi}]`);
  }
  // The points table alone says the same (it holds the same experiments).
  const t = cli(['fit', path.join(WS, 'sweep', 'points.csv'), '--law', 'chinchilla', '--bootstrap', '0', '--json']);
  assert.equal(t.code, 0, t.stderr);
  const ot = JSON.parse(t.stdout) as { n: number; params: Record<string, number>; intervals: Record<string, unknown> };
  assert.equal(ot.n, 10);
  assert.deepEqual(ot.intervals, {}, '--bootstrap 0: no intervals');
  assert.ok(Math.abs(ot.params.alpha - o.params.alpha) < 0.01);
});

test('predict on a sample run from its first half covers the logged final loss', () => {
  const log = path.join(WS, 'sweep', 'gpt-20M-80tpp', 'train.log');
  const r = cli(['predict', log, '--y', 'val/loss', '--at-step', '25000', '--until-step', '12500', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout) as {
    value: number;
    lower: number;
    upper: number;
    observed: number;
    fittedUntil: number;
  };
  assert.ok(o.fittedUntil <= 12500);
  assert.ok(o.lower <= o.observed && o.observed <= o.upper, `${o.observed} in [${o.lower}, ${o.upper}]`);
  // The default forecast at the planned end mixes in an LR anneal nobody logged (the sample's log has no LR column),
  // which lands this run ~1.6 % low; continued as logged, the curve the sample was generated from is recovered.
  assert.ok(Math.abs(o.value - o.observed) / o.observed < 0.025, `forecast ${o.value} vs logged ${o.observed}`);
  const a = cli([
    'predict',
    log,
    '--y',
    'val/loss',
    '--at-step',
    '25000',
    '--until-step',
    '12500',
    '--scenario',
    'as-logged',
    '--json',
  ]);
  assert.equal(a.code, 0, a.stderr);
  const oa = JSON.parse(a.stdout) as { value: number; lower: number; upper: number; observed: number };
  assert.ok(oa.lower <= oa.observed && oa.observed <= oa.upper, `${oa.observed} in [${oa.lower}, ${oa.upper}]`);
  // Continued as logged, the forecast of this synthetic saturating power law is 1.6 % high: the decline cap (study 7,
  // the default since its blind judgement on curve hold-out 19) lets the forecast fall beyond the data at most 0.75 of
  // the late log-log slope, and this curve keeps falling nearly that fast (within 1 % before the cap).
  assert.ok(
    Math.abs(oa.value - oa.observed) / oa.observed < 0.02,
    `as logged: forecast ${oa.value} vs logged ${oa.observed}`,
  );
});
