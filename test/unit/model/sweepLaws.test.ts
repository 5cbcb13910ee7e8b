import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepJob } from '../../../src/model/sweepViews';
import { parseSweepLaw, sweepLawOptions, autoCandidates, holdoutSplit, logR2 } from '../../../src/model/sweepLaws';
import type { SweepPoint } from '../../../src/protocol';

/** A model-size sweep at a fixed token budget whose truth is L(N) = 1.7 + 400·N^-0.35, with ±0.2 % noise. */
function sizeSweep(n = 12): SweepPoint[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5;
  return Array.from({ length: n }, (_, i) => {
    const N = 1e7 * 2 ** i,
      D = 2e10;
    return { runId: `r${i}`, N, D, C: 6 * N * D, loss: (1.7 + 400 * N ** -0.35) * (1 + 0.004 * rnd()) };
  });
}

/** Hoffmann et al.'s published law (approach 3) sampled on a grid where N and D vary independently. */
const H = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const hoff = (N: number, D: number) => H.E + H.A / N ** H.alpha + H.B / D ** H.beta;
function gridSweep(): SweepPoint[] {
  const pts: SweepPoint[] = [];
  for (let i = 0; i < 5; i++)
    for (let j = 0; j < 5; j++) {
      const N = 5e7 * 3 ** i,
        D = 1e9 * 3 ** j;
      pts.push({ runId: `g${i}-${j}`, N, D, C: 6 * N * D, loss: hoff(N, D) });
    }
  return pts;
}

test('every offered sweep law parses; unknown ids do not', () => {
  const ids = sweepLawOptions().map((l) => l.id);
  assert.ok(
    ids.includes('auto') &&
      ids.includes('chinchilla') &&
      ids.includes('saturating-power@N') &&
      ids.includes('saturating-power@C'),
  );
  for (const id of ids) assert.ok(parseSweepLaw(id), id);
  for (const bad of ['nope', 'saturating-power@X', 'saturating-power', '@N', 'chinchilla@N'])
    assert.equal(parseSweepLaw(bad), undefined, bad);
  assert.equal(
    sweepJob({ kind: 'sweep', points: sizeSweep(), law: 'saturating-power@Q', confidence: 0.95, bootstrap: 0 }).ok,
    false,
  );
});

test('saturating power law in N recovers the truth of a size sweep, with intervals, R², backtest and a prediction', () => {
  const v = sweepJob({
    kind: 'sweep',
    points: sizeSweep(),
    law: 'saturating-power@N',
    confidence: 0.95,
    bootstrap: 100,
    predict: { axis: 'N', value: 7e10 },
  });
  assert.ok(v.ok, v.reason);
  assert.equal(v.axis, 'N');
  assert.match(v.latex!, /N\^\{-\\alpha\}/, 'the formula is written in N');
  const p = (k: string) => v.params!.find((q) => q.name === k)!;
  assert.ok(Math.abs(p('alpha').value - 0.35) < 0.03, `α ${p('alpha').value}`);
  assert.ok(Math.abs(p('E').value - 1.7) < 0.05, `E ${p('E').value}`);
  assert.ok(
    p('alpha').lower! <= 0.35 && 0.35 <= p('alpha').upper!,
    `α interval [${p('alpha').lower}, ${p('alpha').upper}] holds the truth`,
  );
  assert.ok(v.r2! > 0.999, `R² ${v.r2}`);
  assert.ok(v.logRmse! < 0.004, `log-RMSE ${v.logRmse}`);
  assert.ok(v.backtestError! < 0.01, `held-out ${v.backtestError}`);
  const truth = 1.7 + 400 * 7e10 ** -0.35;
  const pr = v.prediction!;
  assert.ok(Math.abs(pr.value / truth - 1) < 0.01, `${pr.value} vs ${truth}`);
  assert.ok(pr.lower <= pr.value && pr.value <= pr.upper);
  // the curve spans past the data (extrapolation) and agrees with the truth there
  const last = v.curve!.x.length - 1;
  assert.ok(v.curve!.x[last] > 1e7 * 2 ** 11 * 50);
  assert.ok(Math.abs(v.curve!.y[last] / (1.7 + 400 * v.curve!.x[last] ** -0.35) - 1) < 0.02);
});

test('a one-input law asked about another axis says so instead of answering', () => {
  const v = sweepJob({
    kind: 'sweep',
    points: sizeSweep(),
    law: 'pure-power@N',
    confidence: 0.95,
    bootstrap: 0,
    predict: { axis: 'C', value: 1e22 },
  });
  assert.ok(v.ok);
  assert.equal(v.prediction, undefined);
  assert.match(v.predictionError!, /along N/);
});

test('auto on a size sweep compares one-input laws in N and picks the saturating one (the data saturates)', () => {
  const pts = sizeSweep();
  assert.deepEqual(autoCandidates(pts.slice(0, 11)), [
    'saturating-power@N',
    'pure-power@N',
    'log-law@N',
    'exponential@N',
  ]);
  assert.deepEqual(
    autoCandidates(pts),
    ['saturating-power@N', 'pure-power@N', 'log-law@N', 'exponential@N', 'bnsl1@N'],
    'a broken power law from 12 points',
  );
  const v = sweepJob({ kind: 'sweep', points: pts.slice(0, 11), law: 'auto', confidence: 0.95, bootstrap: 0 });
  assert.ok(v.ok, v.reason);
  assert.equal(v.law, 'saturating-power@N');
  assert.equal(v.selection!.by, 'held-out log-RMSE');
  assert.equal(v.selection!.candidates.length, 4);
  assert.match(v.explanation!, /Saturating power law in parameters N chosen: held-out log-RMSE/);
});

test('auto on a sweep where N and D both vary picks Chinchilla over a power law in C (exact Hoffmann data)', () => {
  const pts = gridSweep();
  assert.deepEqual(autoCandidates(pts), ['chinchilla', 'saturating-power@C']);
  const v = sweepJob({ kind: 'sweep', points: pts, law: 'auto', confidence: 0.95, bootstrap: 0 });
  assert.ok(v.ok, v.reason);
  assert.equal(v.law, 'chinchilla');
  const c = v.selection!.candidates;
  assert.ok(c[0].score! < 1e-3, `Chinchilla held-out ${c[0].score}`);
  assert.ok(c[1].score! > 10 * c[0].score!, `power law in C held-out ${c[1].score}`);
  const p = (k: string) => v.params!.find((q) => q.name === k)!.value;
  assert.ok(Math.abs(p('alpha') - 0.34) < 0.01 && Math.abs(p('beta') - 0.28) < 0.01);
});

test('Chinchilla view: closed-form and IsoFLOP (approach 2) frontiers agree on Hoffmann-law IsoFLOP data', () => {
  // Three budgets, seven sizes each, on C = 6ND: what an IsoFLOP sweep looks like.
  const pts: SweepPoint[] = [];
  for (const C of [1e19, 1e20, 1e21]) {
    const a = H.beta / (H.alpha + H.beta);
    const G = ((H.alpha * H.A) / (H.beta * H.B)) ** (1 / (H.alpha + H.beta));
    const Nopt = G * (C / 6) ** a;
    for (let k = -3; k <= 3; k++) {
      const N = Nopt * 1.6 ** k,
        D = C / (6 * N);
      pts.push({ runId: `${C}-${k}`, N, D, C, loss: hoff(N, D) });
    }
  }
  const v = sweepJob({ kind: 'sweep', points: pts, law: 'chinchilla', confidence: 0.95, bootstrap: 0 });
  assert.ok(v.ok, v.reason);
  const closed = v.approaches!.find((x) => x.id === 'closed-form')!;
  const iso = v.approaches!.find((x) => x.id === 'isoflop')!;
  const truthA = H.beta / (H.alpha + H.beta);
  assert.ok(Math.abs(closed.a! - truthA) < 0.01, `closed form a ${closed.a}`);
  assert.ok(iso.a !== undefined && Math.abs(iso.a - truthA) < 0.03, `IsoFLOP a ${iso.a} vs ${truthA}`);
  assert.equal(iso.points!.length, 3);
  assert.ok(v.backtestError! < 0.01, `held-out ${v.backtestError}`);
});

test('holdout split keeps the largest quarter for testing; R² is 1 for a perfect fit', () => {
  assert.deepEqual(holdoutSplit([5, 1, 4, 2, 3, 8, 7, 6]), { train: [1, 3, 4, 2, 0, 7], test: [6, 5] });
  assert.equal(logR2([1, 2, 3], [1, 2, 3]), 1);
});

test('approach 1 (loss envelope of training curves) agrees with the closed form on Hoffmann-law curves', () => {
  // 12 model sizes, each trained far past its compute-optimal point; checkpoints log-spaced in tokens.
  const curves: { N: number; D: number; C: number; loss: number; group: string }[] = [];
  const finals: SweepPoint[] = [];
  for (let i = 0; i < 12; i++) {
    const N = 1e7 * 2 ** i;
    for (let k = 0; k <= 60; k++) {
      const D = 1e8 * 10 ** (k / 15);
      curves.push({ N, D, C: 6 * N * D, loss: hoff(N, D), group: `n${i}` });
    }
    const D = 1e12;
    finals.push({ runId: `n${i}`, N, D, C: 6 * N * D, loss: hoff(N, D) });
  }
  // A few extra final points at other token counts so Chinchilla separates N from D.
  for (let i = 0; i < 12; i += 3) {
    const N = 1e7 * 2 ** i,
      D = 3e9;
    finals.push({ runId: `m${i}`, N, D, C: 6 * N * D, loss: hoff(N, D) });
  }
  const v = sweepJob({ kind: 'sweep', points: finals, law: 'chinchilla', confidence: 0.95, bootstrap: 0, curves });
  assert.ok(v.ok, v.reason);
  const env = v.approaches!.find((x) => x.id === 'envelope')!;
  const truthA = H.beta / (H.alpha + H.beta);
  assert.ok(env.a !== undefined && Math.abs(env.a - truthA) < 0.04, `envelope a ${env.a} vs ${truthA} (${env.note})`);
  assert.match(env.note!, /training curves of 12 runs/);
  assert.ok(env.points!.length > 5 && env.points!.length <= 41);
  // Without curves: the Pareto frontier of the final points, or a reason.
  const noCurves = sweepJob({ kind: 'sweep', points: finals, law: 'chinchilla', confidence: 0.95, bootstrap: 0 });
  const e2 = noCurves.approaches!.find((x) => x.id === 'envelope')!;
  assert.ok(e2.a !== undefined || e2.note, 'a Pareto answer or why not');
});

test('a size sweep with a break in its slope: the broken power law is offered, fitted along N and chosen by auto', () => {
  // Caballero et al. 2023, eq. 1 with one break: slope 0.1 below N = 1e9, 0.1 + 0.4 above (sharpness f = 0.3).
  const bnsl = (N: number) => 1.5 + 20 * N ** -0.1 * (1 + (N / 1e9) ** (1 / 0.3)) ** (-0.4 * 0.3);
  const pts: SweepPoint[] = Array.from({ length: 16 }, (_, i) => {
    const N = 1e7 * 10 ** (i / 5);
    return { runId: `b${i}`, N, D: 2e10, C: 1.2e11 * N, loss: bnsl(N) };
  });
  const v = sweepJob({ kind: 'sweep', points: pts, law: 'auto', confidence: 0.95, bootstrap: 0 });
  assert.ok(v.ok, v.reason);
  assert.equal(v.law, 'bnsl1@N', v.explanation);
  assert.ok(v.logRmse! < 1e-3, `log-RMSE ${v.logRmse}`);
  const saturating = v.selection!.candidates.find((c) => c.law === 'saturating-power@N')!;
  const chosen = v.selection!.candidates.find((c) => c.law === 'bnsl1@N')!;
  assert.ok(chosen.score! < saturating.score!, 'held out, the break matters');
  assert.ok(sweepLawOptions().some((l) => l.id === 'bnsl2@D'));
});
