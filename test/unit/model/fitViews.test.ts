import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curveJob } from '../../../src/model/fitViews';
import { epochLengthOf, type CurveJob } from '../../../src/model/fitJobs';

// A synthetic run whose truth is known: L(t) = 2 + 9·t^-0.35 with 0.3 % multiplicative noise.
function job(extra: Partial<CurveJob> = {}, n = 400): CurveJob {
  let seed = 3;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5;
  const step = Array.from({ length: n }, (_, i) => (i + 1) * 10);
  const y = step.map((t) => (2 + 9 * t ** -0.35) * (1 + 0.006 * rnd()));
  return { kind: 'curve', runId: 'r', metric: 'train/loss', step, y, law: 'auto', confidence: 0.95, ...extra };
}

test('forecast at the planned final step covers the true curve there', () => {
  const v = curveJob(job({ totalSteps: 12_000 }));
  assert.ok(v.ok, v.reason);
  assert.equal(v.end!.atStep, 12_000);
  const truth = 2 + 9 * 12_000 ** -0.35;
  assert.ok(v.end!.lower <= truth && truth <= v.end!.upper, `${truth} in [${v.end!.lower}, ${v.end!.upper}]`);
  assert.ok(v.band!.upper.every(Number.isFinite) && v.band!.lower.every((x) => x > 0));
});

test('a finished run is forecast at its end, not beyond; steps to a target are reported', () => {
  const v = curveJob(job({ totalSteps: 4000, targetLoss: 2.6 }));
  assert.ok(v.ok);
  assert.equal(v.end!.atStep, 4000);
  // truth reaches 2.6 at t = (9/0.6)^(1/0.35)
  const tTrue = (9 / 0.6) ** (1 / 0.35);
  assert.ok(v.end!.stepToTarget! > tTrue / 2 && v.end!.stepToTarget! < tTrue * 2, `${v.end!.stepToTarget} vs ${tTrue}`);
});

test('steps to a target carry the band: its ends bracket the mean’s step and the true curve’s', () => {
  // Fitted on 1,000 of the planned 12,000 steps; the true curve 2 + 9·t^−0.35 reaches each value at
  // (9 / (value − 2))^(1 / 0.35): 2.6 at ~2,300, 2.5 at ~3,900 — both beyond the data.
  for (const target of [2.6, 2.5]) {
    const v = curveJob(job({ totalSteps: 12_000, targetLoss: target }, 100));
    assert.ok(v.ok && v.end, v.reason);
    const tTrue = (9 / (target - 2)) ** (1 / 0.35);
    const [early, late] = v.end.stepToTargetBand!;
    const step = v.end.stepToTarget!;
    assert.ok(early !== null && early <= step && (late === null || step <= late), JSON.stringify(v.end));
    assert.ok(early <= tTrue && (late === null || tTrue <= late), `${tTrue} in [${early}, ${late}]`);
    // the band is a real interval, not the mean twice
    assert.ok(early < step * 0.99, `${early} vs ${step}`);
  }
});

test('too few points is a status, not a throw', () => {
  const v = curveJob(job({}, 2)); // fewer points than any law has parameters
  assert.equal(v.ok, false);
  assert.ok(v.reason && v.reason.length > 0);
});

test('the view says which law or average, which schedule and which sweep prior the forecast used', () => {
  // planned end known, LR not logged: the 50/50 scenario, named in the forecast
  const v = curveJob(job({ totalSteps: 12_000 }));
  assert.ok(v.ok && v.end);
  assert.match(v.end!.schedule!, /50\/50 mix .* anneal to step 12000 \(the LR is not logged/);
  assert.match(v.end!.method!, /single law|model average: .* %/);
  assert.equal(v.end!.sweepPrior, undefined);
  // a flat logged LR is treated the same way; a decaying one is taken as logged
  const flat = curveJob(job({ totalSteps: 12_000, lr: { step: [10, 2000, 4000], value: [1e-3, 1e-3, 1e-3] } }));
  assert.match(flat.end!.schedule!, /LR logged so far is flat/);
  const noTotal = curveJob(job());
  assert.match(noTotal.end!.schedule!, /continuation as logged \(planned total steps unknown\)/);
  // siblings of the same family (the same law, scaled) that finished: the sweep prior is used and narrows the band
  const sib = (k: number) => {
    const step = Array.from({ length: 120 }, (_, i) => (i + 1) * 100);
    return { id: `s${k}`, x: step, y: step.map((t) => (2 + 9 * t ** -0.35) * (1 + 0.01 * k)) };
  };
  const withSweep = curveJob(job({ totalSteps: 12_000, siblings: [sib(1), sib(2), sib(3)] }));
  assert.ok(withSweep.end!.sweepPrior, 'sweep prior named');
  assert.match(withSweep.end!.sweepPrior!, /3 finished run/);
  const w0 = Math.log(v.end!.upper / v.end!.lower),
    w1 = Math.log(withSweep.end!.upper / withSweep.end!.lower);
  assert.ok(w1 < w0, `band ${w1} vs ${w0}`);
  const truth = 2 + 9 * 12_000 ** -0.35;
  assert.ok(withSweep.end!.lower <= truth && truth <= withSweep.end!.upper);
});

test('a forecast across epoch boundaries says so; without an epoch length, or none ahead, nothing changes', () => {
  // 400 points every 10 steps (last step 4,000), planned end 12,000, epochs of 3,000 steps: boundaries at 6,000
  // and 9,000 lie ahead (3,000 is behind; the planned end is no step)
  const plain = curveJob(job({ totalSteps: 12_000 }));
  const v = curveJob(job({ totalSteps: 12_000, stepsPerEpoch: 3000 }));
  assert.ok(v.ok && v.end && plain.end);
  assert.equal(
    v.end.epochs,
    '2 epoch boundaries ahead (epoch of 3,000 steps): the loss may step down at each (repeated data); neither the forecast nor its band allows for that step',
  );
  assert.equal(v.epochs, v.end.epochs);
  assert.ok(v.explanation!.endsWith(`Epochs: ${v.end.epochs}.`), v.explanation);
  // the forecast and its band are those of the run without an epoch length
  assert.deepEqual([v.end.value, v.end.lower, v.end.upper], [plain.end.value, plain.end.lower, plain.end.upper]);
  assert.equal(plain.end.epochs, undefined);
  // one epoch of 12,000 steps: no boundary ahead
  assert.equal(curveJob(job({ totalSteps: 12_000, stepsPerEpoch: 12_000 })).end!.epochs, undefined);
  // epochs of 30 steps logged every 10: fewer than 4 points an epoch, no note
  assert.equal(curveJob(job({ totalSteps: 12_000, stepsPerEpoch: 30 })).end!.epochs, undefined);
});

test("the epoch length of a job comes from the run's logged epoch series (HF Trainer: fractional epochs)", () => {
  // HF Trainer logs epoch = step / steps-per-epoch, rounded to 2 decimals; 1,250 steps an epoch
  const step = Array.from({ length: 80 }, (_, i) => 50 * (i + 1));
  const epoch = step.map((s) => Math.round((s / 1250) * 100) / 100);
  const L = epochLengthOf({ 'train/loss': { step, value: step.map(() => 1) }, epoch: { step, value: epoch } });
  assert.ok(L !== undefined && Math.abs(L - 1250) < 10, `${L}`);
  assert.equal(epochLengthOf({ 'train/loss': { step, value: step.map(() => 1) } }), undefined);
});
