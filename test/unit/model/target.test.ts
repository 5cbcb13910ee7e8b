import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepToTargetFrom, retarget } from '../../../src/model/target';
import { curveJob, logGrid } from '../../../src/model/fitViews';
import { fitCurve, stepsToReach } from '../../../src/fit/curve/fitCurve';
import type { CurveJob } from '../../../src/model/fitJobs';

const truth = (t: number) => 2 + 9 * t ** -0.35;

test('steps to a target from a sampled curve match the closed form of the curve', () => {
  const x = logGrid(10, 1e7, 256);
  const curve = { x, y: x.map(truth) };
  for (const target of [2.6, 2.3, 2.1]) {
    const exact = (9 / (target - 2)) ** (1 / 0.35); // 2 + 9 t^-0.35 = target
    const got = stepToTargetFrom(curve, target)!;
    assert.ok(Math.abs(got / exact - 1) < 2e-3, `target ${target}: ${got} vs ${exact}`);
  }
  assert.equal(stepToTargetFrom(curve, 7), x[0], 'already below the target at the first step (truth(10) = 6.02)');
  assert.equal(stepToTargetFrom(curve, 1.9), null, 'below the asymptote: never reached');
  assert.equal(stepToTargetFrom(curve, NaN), null);
  assert.equal(stepToTargetFrom(undefined, 2.5), null);
});

function job(extra: Partial<CurveJob> = {}): CurveJob {
  let seed = 3;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5;
  const step = Array.from({ length: 400 }, (_, i) => (i + 1) * 10);
  const y = step.map((t) => truth(t) * (1 + 0.006 * rnd()));
  // A logged LR that is already decaying: the forecast continues the curve as logged (no unlogged-anneal scenario,
  // src/fit/curve/scenario.ts), so the engine's plain root finding is the reference.
  const lr = { step: step.slice(), value: step.map((t) => 6e-4 * (1 - t / 12_000)) };
  return {
    kind: 'curve',
    runId: 'r',
    metric: 'train/loss',
    step,
    y,
    law: 'pow3',
    confidence: 0.95,
    totalSteps: 12_000,
    lr,
    ...extra,
  };
}

test('a forecast re-targeted on the host agrees with the engine’s own root finding on the same fit', () => {
  const v = curveJob(job({ targetLoss: 2.6 }));
  assert.ok(v.ok && v.end && v.meanCurve, v.reason);
  const j = job();
  const fit = fitCurve(j.step, j.y, { laws: ['pow3'] });
  assert.ok(fit.ok);
  for (const target of [2.6, 2.4, 2.25]) {
    const engine = stepsToReach(fit, target, { horizon: 12_000 * 10 });
    const host = retarget(v.end, v.meanCurve, target).stepToTarget;
    assert.ok(engine !== null && host != null, `target ${target}: engine ${engine}, host ${host}`);
    assert.ok(Math.abs(host / engine - 1) < 5e-3, `target ${target}: host ${host} vs engine ${engine}`);
  }
  assert.equal(retarget(v.end, v.meanCurve, null).stepToTarget, undefined, 'clearing the target removes the answer');
  assert.equal(retarget(v.end, v.meanCurve, null).stepToTargetBand, undefined, 'and its band');
  // The band's ends are where the lower and upper ends of the forecast's band reach the target: at the lower end's
  // step the forecast's lower end is the target (read independently off the band the view draws to its horizon).
  const rt = retarget(v.end, v.meanCurve, 2.4);
  const [early, late] = rt.stepToTargetBand!;
  assert.ok(early !== null && late !== null && early < rt.stepToTarget! && rt.stepToTarget! < late, JSON.stringify(rt));
  const b = v.band!;
  const k = b.x.findIndex((x) => x >= early);
  assert.ok(k > 0, 'the lower end reaches 2.4 within the drawn band');
  assert.ok(b.lower[k - 1] > 2.4 - 1e-3 && b.lower[k] <= 2.4 + 1e-3, `${b.lower[k - 1]}, ${b.lower[k]} around 2.4`);
  assert.equal(retarget(v.end, v.meanCurve, 1.5).stepToTarget, null, 'below the fitted asymptote: not reached');
});
