import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { runFitJob, type SweepJob } from '../../../src/model/fitJobs';
import { evaluatePredictor, withPrediction } from '../../../src/model/sweepPredict';
import { isSweepPredictor, type SweepPredictor } from '../../../src/model/sweepPredictor';
import { shared } from '../helpers/paths';
import type { SweepFitView, SweepPoint } from '../../../src/protocol';

function chinchillaPoints(): SweepPoint[] {
  const lines = fs.readFileSync(shared('chinchilla', 'svg_extracted_data.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const iN = head.indexOf('Model Size'),
    iC = head.indexOf('Training FLOP'),
    iL = head.indexOf('loss');
  const pts = lines
    .slice(1)
    .map((l) => l.split(','))
    .map((c) => ({ N: +c[iN], C: +c[iC], D: +c[iC] / (6 * +c[iN]), loss: +c[iL] }));
  pts.sort((a, b) => b.loss - a.loss);
  return pts.slice(5).map((p, i) => ({ ...p, runId: `p${i}` }));
}

function sizeSweep(n = 12): SweepPoint[] {
  let seed = 11;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5;
  return Array.from({ length: n }, (_, i) => {
    const N = 1e7 * 2 ** i,
      D = 2e10;
    return { runId: `r${i}`, N, D, C: 6 * N * D, loss: (1.7 + 400 * N ** -0.35) * (1 + 0.01 * rnd()) };
  });
}

function fit(job: SweepJob): { view: SweepFitView; predictor: SweepPredictor } {
  const r = runFitJob(job);
  assert.equal(r.kind, 'sweep');
  if (r.kind !== 'sweep') throw new Error('not a sweep');
  assert.ok(r.view.ok, r.view.reason);
  assert.ok(r.predictor, 'the sweep fit returns its predictor');
  // it crosses the worker boundary by structured clone
  const p = structuredClone(r.predictor);
  assert.ok(isSweepPredictor(p));
  return { view: r.view, predictor: p };
}

/** Linear-interpolation percentile (Hyndman–Fan type 7), written out here independently of src/fit/bootstrap. */
function quantile(values: number[], q: number): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const i = Math.floor(h);
  return i + 1 < s.length ? s[i] + (h - i) * (s[i + 1] - s[i]) : s[i];
}

/** Compute-optimal loss at budget C by scanning log N (no closed form): min over N of E + A/N^α + B/(C/6N)^β. */
function scanOptimalLoss(p: { A: number; B: number; E: number; alpha: number; beta: number }, C: number): number {
  let best = Infinity;
  for (let lg = 5; lg <= 15; lg += 2e-4) {
    const N = 10 ** lg,
      D = C / (6 * N);
    best = Math.min(best, p.E + p.A / N ** p.alpha + p.B / D ** p.beta);
  }
  return best;
}

const CONF = 0.9;
const base = (points: SweepPoint[], law: string): SweepJob => ({
  kind: 'sweep',
  points,
  law,
  confidence: CONF,
  bootstrap: 60,
});

test('Chinchilla: evaluating the kept fit and its bootstrap sets answers exactly as the refit path did', () => {
  const pts = chinchillaPoints();
  const { view, predictor } = fit(base(pts, 'chinchilla'));
  assert.equal(predictor.kind, 'chinchilla');
  assert.ok(predictor.boot.length >= 20, `${predictor.boot.length} bootstrap sets`);
  for (const q of [
    { axis: 'C', value: 5.76e23 },
    { axis: 'N', value: 7e10 },
    { axis: 'D', value: 1.4e12 },
  ] as const) {
    const refit = runFitJob({ ...base(pts, 'chinchilla'), predict: q });
    assert.ok(refit.kind === 'sweep' && refit.view.prediction);
    const fast = withPrediction(view, predictor, q);
    assert.deepEqual(fast.prediction, refit.view.prediction, `${q.axis} = ${q.value}`);
    assert.equal(view.prediction, undefined, 'the cached view is not changed');
  }
});

test('Chinchilla: the interval is the bootstrap sets’ percentiles of the compute-optimal loss (independent scan)', () => {
  const { predictor } = fit(base(chinchillaPoints(), 'chinchilla'));
  if (predictor.kind !== 'chinchilla') throw new Error('kind');
  const C = 1e21;
  const pr = evaluatePredictor(predictor, { axis: 'C', value: C }).prediction!;
  const main = scanOptimalLoss(predictor.params, C);
  const losses = predictor.boot.map((p) => scanOptimalLoss(p, C));
  const lo = Math.min(quantile(losses, (1 - CONF) / 2), main),
    hi = Math.max(quantile(losses, 1 - (1 - CONF) / 2), main);
  assert.ok(Math.abs(pr.value - main) < 1e-7, `${pr.value} vs ${main}`);
  assert.ok(Math.abs(pr.lower - lo) < 1e-7, `${pr.lower} vs ${lo}`);
  assert.ok(Math.abs(pr.upper - hi) < 1e-7, `${pr.upper} vs ${hi}`);
  assert.ok(pr.upper - pr.lower > 1e-4, 'a real interval');
  assert.ok(Math.abs(6 * pr.N! * pr.D! - C) / C < 1e-9);
});

test('one-input law: the kept fit answers as the refit did, its band is the replicates’ percentiles, other axes are refused', () => {
  const pts = sizeSweep();
  const { view, predictor } = fit(base(pts, 'saturating-power@N'));
  if (predictor.kind !== 'one') throw new Error('kind');
  const q = { axis: 'N', value: 7e10 } as const;
  const refit = runFitJob({ ...base(pts, 'saturating-power@N'), predict: q });
  assert.ok(refit.kind === 'sweep' && refit.view.prediction);
  const pr = withPrediction(view, predictor, q).prediction!;
  assert.deepEqual(pr, refit.view.prediction);
  // independent: the law written out, E + A·N^−α with raw parameters (log A, log E, α), over each replicate
  const law = (r: number[]) => Math.exp(r[1]) + Math.exp(r[0]) * q.value ** -r[2];
  const main = law(predictor.raw),
    vals = predictor.boot.map(law);
  assert.ok(predictor.boot.length >= 20);
  assert.ok(Math.abs(pr.value / main - 1) < 1e-12);
  assert.ok(Math.abs(pr.lower / Math.min(quantile(vals, (1 - CONF) / 2), main) - 1) < 1e-12);
  assert.ok(Math.abs(pr.upper / Math.max(quantile(vals, 1 - (1 - CONF) / 2), main) - 1) < 1e-12);
  const truth = 1.7 + 400 * 7e10 ** -0.35;
  assert.ok(Math.abs(pr.value / truth - 1) < 0.02, `${pr.value} vs truth ${truth}`);
  assert.ok(pr.lower <= pr.value && pr.value <= pr.upper && pr.upper > pr.lower);
  const wrong = evaluatePredictor(predictor, { axis: 'C', value: 1e22 });
  assert.equal(wrong.prediction, undefined);
  assert.match(wrong.predictionError!, /along N/);
});

test('predictors that are not one are rejected at the worker boundary', () => {
  for (const bad of [
    null,
    1,
    {},
    { kind: 'chinchilla', law: 'x', lawName: 'x', confidence: 0.9, boot: [], params: { A: 1 } },
    { kind: 'one', law: 'x', lawName: 'x', confidence: 0.9, axis: 'Q', raw: [1], boot: [] },
    { kind: 'one', law: 'x', lawName: 'x', confidence: 0.9, axis: 'N', raw: [1], boot: [['a']] },
  ]) {
    assert.equal(isSweepPredictor(bad), false, JSON.stringify(bad));
  }
});
