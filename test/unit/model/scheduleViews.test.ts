import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shared } from '../helpers/paths';
import { readSchedule } from '../fit/curve-data';
import { curveJob } from '../../../src/model/fitViews';
import { scheduleApplies } from '../../../src/model/scheduleViews';
import type { CurveJob } from '../../../src/model/fitJobs';

// Published LR-schedule runs (Luo et al. 2025, 100M): a live run seen up to half of its planned steps.
function liveJob(
  name: string,
  T: number,
  frac: number,
  extra: Partial<CurveJob> = {},
): { job: CurveJob; finalLoss: number; finalStep: number } {
  const d = readSchedule(shared('lr-schedules', '100M', `${name}.csv`));
  const idx = d.step.map((_, i) => i).filter((i) => d.step[i] <= frac * T);
  const step = idx.map((i) => d.step[i]);
  return {
    job: {
      kind: 'curve',
      runId: name,
      metric: 'train/loss',
      step,
      y: idx.map((i) => d.loss[i]),
      lr: { step, value: idx.map((i) => d.lr[i]) },
      totalSteps: T,
      law: 'auto',
      confidence: 0.95,
      ...extra,
    },
    finalLoss: d.loss[d.loss.length - 1],
    finalStep: d.step[d.step.length - 1],
  };
}

test('a live run logging its LR gets the schedule-aware forecast at its planned end, closer than the curve laws', () => {
  // cosine: half the run seen; WSD: its decay (from step 20,000) has begun (a constant prefix cannot reveal it).
  for (const [name, T, frac] of [
    ['cosine_24000', 24000, 0.5],
    ['cosine_72000', 72000, 0.5],
    ['wsd_20000_24000', 24000, 0.9],
  ] as const) {
    const { job, finalLoss } = liveJob(name, T, frac);
    assert.ok(scheduleApplies(job));
    const v = curveJob(job);
    assert.ok(v.ok, v.reason);
    assert.equal(v.law, 'mpl');
    assert.equal(v.end!.atStep, T);
    assert.match(
      v.end!.schedule!,
      new RegExp(
        `^${name.startsWith('wsd') ? 'warmup-stable-decay' : 'cosine'}.* schedule to step ${T.toLocaleString('en-US')} \\(inferred from the logged LR, confidence \\d+ %\\)`,
      ),
    );
    assert.match(v.explanation!, /Schedule-aware/);
    assert.ok(
      v.end!.lower <= finalLoss && finalLoss <= v.end!.upper,
      `${name}: final ${finalLoss} in [${v.end!.lower}, ${v.end!.upper}]`,
    );
    // The same prefix without the LR series: the learning-curve laws cannot see the anneal to come.
    const plain = curveJob({ ...job, lr: undefined });
    assert.ok(plain.ok && plain.law !== 'mpl');
    const errS = Math.abs(v.end!.value - finalLoss),
      errC = Math.abs(plain.end!.value - finalLoss);
    assert.ok(errS < errC, `${name}: schedule-aware error ${errS.toFixed(4)} vs curve ${errC.toFixed(4)}`);
    // The drawn curve reaches the planned end; steps-to-target come from the same curve.
    assert.equal(Math.round(v.band!.x[v.band!.x.length - 1]), T);
    const target = curveJob({ ...job, targetLoss: v.end!.value + 0.02 });
    assert.ok(
      target.end!.stepToTarget! > job.step[job.step.length - 1] && target.end!.stepToTarget! <= T,
      `${target.end!.stepToTarget}`,
    );
  }
});

test('without planned steps, with an explicit curve law, or when the run is done: the curve laws', () => {
  const { job } = liveJob('cosine_24000', 24000, 0.5);
  assert.equal(scheduleApplies({ ...job, totalSteps: undefined }), false);
  assert.equal(scheduleApplies({ ...job, law: 'pow3' }), false);
  assert.equal(scheduleApplies({ ...job, totalSteps: job.step[job.step.length - 1] }), false);
  assert.equal(scheduleApplies({ ...job, lr: { step: [1, 2], value: [1e-3, 1e-3] } }), false);
  const v = curveJob({ ...job, law: 'mpl', lr: undefined });
  assert.ok(v.ok && v.law !== 'mpl');
  assert.match(v.warnings!.join(' '), /schedule-aware law needs a logged LR series/);
});
