import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  decideState,
  forecastPlan,
  lrAtFloor,
  LrFloorScan,
  trailingNonFinite,
  type StateEvidence,
} from '../../../src/model/runState';
import { RunModel } from '../../../src/model/runModel';
import { endLineKind } from '../../../src/ingest/metaLines';
import { parsePath } from '../../../src/ingest/incremental';
import { seriesFrom } from '../../../src/ingest/series';
import { curveJob } from '../../../src/model/fitViews';
import type { CurveJob } from '../../../src/model/fitJobs';
import type { Run, RunEnd } from '../../../src/ingest/types';
import { SHARED_DATA } from '../helpers/paths';

/** The shared real logs: `../shared/data` beside the clone, or /work/shared/data (worktrees). Fails loudly when absent. */
function realLog(...parts: string[]): string {
  for (const root of [SHARED_DATA, '/work/shared/data']) {
    const p = path.join(root, 'logs', ...parts);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`shared data missing: logs/${parts.join('/')}`);
}

const MIN = 60_000;
const ev = (over: Partial<StateEvidence> = {}): StateEvidence => ({
  now: 100 * MIN,
  lastGrowth: 100 * MIN,
  liveTimeoutMs: 5 * MIN,
  staleAfterMs: 60 * MIN,
  ...over,
});

function run(steps: number[], values: number[], meta: Run['meta'] = {}, lr?: number[]): Run {
  const metrics: Run['metrics'] = { 'train/loss': seriesFrom('train/loss', 'loss', steps, values) };
  if (lr) metrics.lr = seriesFrom('lr', 'lr', steps, lr);
  return { id: '/r.log', path: '/r.log', format: 'nanogpt', metrics, meta };
}
const src = { path: '/r.log', how: 'log' };
const total = (n: number) => ({ totalSteps: { value: n, source: src } });
const end = (e: RunEnd, line = 50) => ({ end: { value: e, source: { ...src, line } } });
const steps = (n: number, every = 10) => Array.from({ length: n }, (_, i) => (i + 1) * every);
const decaying = (xs: number[]) => xs.map((s) => 2 + 5 / Math.sqrt(s));

// ------------------------------------------------------------------------------------------------------------
// The shared real logs

test('real logs first read a day after they were written: none is live; the nanoGPT NaN log is diverged at 425; the OLMo log stopped by a crash', async () => {
  const files = [
    'nanogpt/chenzihua_nanogpt_termux_train.log',
    'olmo/olmo_1b_0724_continue_training.log',
    'megatron-deepspeed/qwen7b_baseline_500.log',
    'hf-trainer-stdout/llama_sft_train_log.txt',
    'llmc-stdout/modded_nanogpt_llmc_main.log',
    'modded-nanogpt/modded_nanogpt_muon_eb5659d0.txt',
    'megatron-deepspeed/datablations_blowup-4-adam-1793736.out',
    'jsonl/luojiu_7b_llamafactory_trainer_log.jsonl',
  ];
  const states: Record<string, string> = {};
  for (const f of files) {
    const p = realLog(f);
    const mtime = fs.statSync(p).mtimeMs;
    const m = new RunModel({ liveTimeoutMs: 5 * MIN, relativize: (x) => x }, () => mtime + 24 * 60 * MIN);
    const r = await parsePath(p);
    m.update(p, r, true, mtime);
    assert.equal(r.runs.length, 1, f);
    const info = m.stateInfo(r.runs[0]);
    states[f] = info.state;
    assert.notEqual(info.state, 'live', `${f}: ${info.reason}`);
    if (f.startsWith('nanogpt/')) assert.equal(info.divergedAt, 425);
  }
  assert.deepEqual(states, {
    'nanogpt/chenzihua_nanogpt_termux_train.log': 'diverged',
    'olmo/olmo_1b_0724_continue_training.log': 'stopped', // SIGTERM traceback at step 1010 of 15000
    'megatron-deepspeed/qwen7b_baseline_500.log': 'finished', // 500 of 500
    'hf-trainer-stdout/llama_sft_train_log.txt': 'finished', // "Training complete!"
    'llmc-stdout/modded_nanogpt_llmc_main.log': 'finished', // LR decayed to its floor, no planned end logged
    'modded-nanogpt/modded_nanogpt_muon_eb5659d0.txt': 'finished', // 6200 of 6200
    'megatron-deepspeed/datablations_blowup-4-adam-1793736.out': 'stopped', // step 4300 of 148693, no end line
    'jsonl/luojiu_7b_llamafactory_trainer_log.jsonl': 'finished',
  });
});

test('an old file is not live when first read, even a few minutes later; a file written just now is', async () => {
  const p = realLog('modded-nanogpt/modded_nanogpt_muon_eb5659d0.txt');
  const r = await parsePath(p);
  // The same run with its planned end removed (so only file age can decide): not live 6 minutes after its mtime.
  const open = { ...r.runs[0], meta: { ...r.runs[0].meta, totalSteps: undefined } };
  const mtime = fs.statSync(p).mtimeMs;
  let now = mtime + 6 * MIN;
  const m = new RunModel({ liveTimeoutMs: 5 * MIN, relativize: (x) => x }, () => now);
  m.update(p, { runs: [open], diagnostics: [] }, true, mtime);
  assert.notEqual(m.state(open), 'live');
  // written 10 s before it was read: live, until it stops growing
  now = mtime + 10_000;
  const m2 = new RunModel({ liveTimeoutMs: 5 * MIN, relativize: (x) => x }, () => now);
  m2.update(p, { runs: [open], diagnostics: [] }, true, mtime);
  assert.equal(m2.state(open), 'live');
  assert.deepEqual(m2.reevaluate(), []);
  now += 6 * MIN;
  assert.deepEqual(m2.reevaluate(), [open.id], 'the timer sees live → finished without any file event');
  assert.equal(m2.state(open), 'finished');
});

// ------------------------------------------------------------------------------------------------------------
// End lines

test('end lines: completion, early stop, time limit, crash, interrupt — and config keys that only look like them are not', () => {
  assert.equal(
    endLineKind('Training completed. Do not forget to share your model on huggingface.co/models =)'),
    'completed',
  );
  assert.equal(endLineKind('Training complete!'), 'completed');
  assert.equal(
    endLineKind(
      '`Trainer.fit` stopped: `max_steps=1000` reached.'.replace(/`Trainer/, 'Trainer').replace('.fit`', '.fit'),
    ),
    'completed',
  );
  assert.equal(endLineKind('Epoch 00012: early stopping'), 'early-stop');
  assert.equal(
    endLineKind(
      'Monitored metric val_loss did not improve in the last 3 records. Best score: 2.113. Signaling Trainer to stop.',
    ),
    'early-stop',
  );
  assert.equal(
    endLineKind('slurmstepd: error: *** JOB 1793736 ON nid005 CANCELLED AT 2023-01-05T10:00:00 DUE TO TIME LIMIT ***'),
    'time-limit',
  );
  assert.equal(
    endLineKind('slurmstepd: error: *** JOB 1793736 ON nid005 CANCELLED AT 2023-01-05T10:00:00 ***'),
    'interrupted',
  );
  assert.equal(endLineKind('stopping: reached the wall-clock limit (12h)'), 'time-limit');
  assert.equal(endLineKind('Traceback (most recent call last):'), 'crash');
  assert.equal(endLineKind('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB'), 'crash');
  assert.equal(endLineKind('KeyboardInterrupt'), 'interrupted');
  for (const benign of [
    '  early_stopping_patience ......... 3',
    'Early stopping patience: 3',
    'early stopping: enabled',
    'Using EarlyStoppingCallback',
    'step 100 | loss 2.31 | lr 3e-4',
    'time_limit: 3600',
    'number of parameters: 123.69M',
    'Training...',
  ]) {
    assert.equal(endLineKind(benign), undefined, benign);
  }
});

test('an end line is evidence only when nothing was logged after it (a run resumed in the same log is live again)', () => {
  const s = steps(50);
  const crashed = run(s, decaying(s), {
    ...total(2000),
    ...end({ kind: 'crash', text: 'Traceback (most recent call last):', atStep: 500 }),
  });
  assert.equal(decideState(crashed, ev()).state, 'stopped');
  assert.match(decideState(crashed, ev()).reason, /crash at step 500 of 2000.*line 50/);
  const s2 = steps(80);
  const resumed = run(s2, decaying(s2), { ...total(2000), ...end({ kind: 'crash', text: 'Traceback', atStep: 500 }) });
  assert.equal(decideState(resumed, ev()).state, 'live');
  const done = run(s, decaying(s), end({ kind: 'completed', text: 'Training completed', atStep: 500 }));
  assert.equal(decideState(done, ev()).state, 'finished', 'a completion line ends it even while the file is fresh');
  const early = run(s, decaying(s), {
    ...total(2000),
    ...end({ kind: 'time-limit', text: 'DUE TO TIME LIMIT', atStep: 500 }),
  });
  assert.equal(decideState(early, ev()).state, 'stopped');
  const before = run(s, decaying(s), {
    ...total(2000),
    ...end({ kind: 'early-stop', text: 'early stopping enabled', atStep: undefined }, 3),
  });
  assert.equal(decideState(before, ev()).state, 'live', 'a line printed before any metric says nothing of the end');
});

// ------------------------------------------------------------------------------------------------------------
// Time, planned steps, LR floor, non-finite losses

test('not growing: short of its planned end → stale, then stopped after an hour; at its planned end → finished', () => {
  const s = steps(50);
  const r = run(s, decaying(s), total(2000));
  assert.equal(decideState(r, ev()).state, 'live');
  assert.equal(decideState(r, ev({ lastGrowth: 90 * MIN })).state, 'stale');
  assert.equal(decideState(r, ev({ lastGrowth: 10 * MIN })).state, 'stopped');
  assert.match(decideState(r, ev({ lastGrowth: 10 * MIN })).reason, /step 500 of 2000 planned, without an end line/);
  const full = run(s, decaying(s), total(500));
  assert.equal(decideState(full, ev()).state, 'finished', 'planned steps reached: finished even while fresh');
  const open = run(s, decaying(s));
  assert.equal(decideState(open, ev({ lastGrowth: 90 * MIN })).state, 'finished');
  assert.match(decideState(open, ev({ lastGrowth: 90 * MIN })).reason, /no planned end logged/);
});

test('the LR at its floor ends a quiet run that planned more steps; a constant LR does not', () => {
  const s = steps(100);
  const cosine = s.map((t) => 3e-5 + (3e-4 - 3e-5) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t / 900))));
  assert.equal(lrAtFloor(seriesFrom('lr', 'lr', s, cosine)), true);
  assert.equal(
    lrAtFloor(
      seriesFrom(
        'lr',
        'lr',
        s,
        s.map(() => 3e-4),
      ),
    ),
    false,
  );
  const midCosine = s.map((t) => 3e-4 * 0.5 * (1 + Math.cos((Math.PI * t) / 2000)));
  assert.equal(lrAtFloor(seriesFrom('lr', 'lr', s, midCosine)), false, 'half way down a cosine is not the floor');
  const r = run(s, decaying(s), total(5000), cosine);
  assert.equal(decideState(r, ev({ lastGrowth: 90 * MIN })).state, 'finished');
  const r2 = run(
    s,
    decaying(s),
    total(5000),
    s.map(() => 3e-4),
  );
  assert.equal(decideState(r2, ev({ lastGrowth: 90 * MIN })).state, 'stale');
});

test('diverged only when the loss ends non-finite; a lone NaN the run recovered from is not divergence', () => {
  const s = steps(20);
  const v = decaying(s);
  v[17] = NaN;
  v[18] = NaN;
  v[19] = Infinity;
  assert.equal(trailingNonFinite(seriesFrom('l', 'l', s, v)), 180);
  const d = decideState(run(s, v, total(200)), ev());
  assert.equal(d.state, 'diverged');
  assert.equal(d.divergedAt, 180);
  const w = decaying(s);
  w[5] = NaN;
  assert.equal(decideState(run(s, w), ev()).state, 'live');
});

// ------------------------------------------------------------------------------------------------------------
// What each state shows

test('forecast plan per state: finished none, diverged no fit, stopped a what-if to step X, unknown end stated', () => {
  assert.ok(forecastPlan({ state: 'finished', reason: 'planned steps reached' }, 500, 500, false).none);
  const dv = forecastPlan({ state: 'diverged', reason: 'loss is NaN' }, 425, undefined, false);
  assert.ok(dv.none && dv.noFit);
  const st = forecastPlan({ state: 'stopped', reason: 'time limit' }, 4000, 20_000, false);
  assert.deepEqual([st.atStep, st.hypothetical], [20_000, true]);
  assert.match(st.basis!, /if continued to step 20,000 \(its planned end\).*stopped at step 4,000/);
  const live = forecastPlan({ state: 'live', reason: '' }, 1000, 5000, false);
  assert.deepEqual([live.atStep, live.basis, live.hypothetical], [5000, 'planned end', undefined]);
  const unknown = forecastPlan({ state: 'live', reason: '' }, 1000, undefined, false);
  assert.equal(unknown.atStep, 2000);
  assert.match(unknown.basis!, /assumed end: step 2,000 = 2× the last step/);
  const floor = forecastPlan({ state: 'live', reason: '' }, 1000, undefined, true);
  assert.equal(floor.atStep, 1100);
  assert.match(floor.basis!, /LR is at its floor/);
});

function cjob(extra: Partial<CurveJob> = {}): CurveJob {
  const step = steps(300);
  return {
    kind: 'curve',
    runId: 'r',
    metric: 'train/loss',
    step,
    y: step.map((t) => 2 + 9 * t ** -0.35),
    law: 'pow3',
    confidence: 0.95,
    ...extra,
  };
}

test('curve views follow the plan: a finished run has its curve and no forecast; a diverged run no fit; a stopped run a stated what-if', () => {
  const fin = curveJob(
    cjob({ plan: { none: 'finished (planned steps reached): the final logged value is shown, nothing is forecast' } }),
  );
  assert.ok(fin.ok);
  assert.equal(fin.end, undefined);
  assert.match(fin.noForecast!, /final logged value/);
  assert.ok(
    fin.band!.x.length > 0 && Math.max(...fin.band!.x) <= 3000 * 1.0001,
    'the curve is drawn up to the last step only',
  );
  const dv = curveJob(cjob({ plan: { none: 'diverged: loss is NaN from step 425 on', noFit: true } }));
  assert.equal(dv.ok, false);
  assert.match(dv.reason!, /diverged/);
  const st = curveJob(
    cjob({ plan: { atStep: 20_000, hypothetical: true, basis: 'if continued to step 20,000 (its planned end)' } }),
  );
  assert.ok(st.ok);
  assert.deepEqual(
    [st.end!.atStep, st.end!.hypothetical, st.end!.basis],
    [20_000, true, 'if continued to step 20,000 (its planned end)'],
  );
  const legacy = curveJob(cjob());
  assert.equal(legacy.end!.atStep, 6000);
  assert.match(legacy.end!.basis!, /assumed end: 2× the last step/, 'no silent 2×');
  const asked = curveJob(cjob({ atStep: 9000, plan: { none: 'finished' } }));
  assert.equal(asked.end!.atStep, 9000, '"Predict at…" overrides the plan');
});

test('LR floor, incrementally: a growing warmup-stable-decay schedule read in pieces answers as a one-shot read at every length', () => {
  const T = 3000;
  const lr = (t: number) => (t < 200 ? (3e-4 * t) / 200 : t < 2400 ? 3e-4 : 3e-4 * Math.max(0, 1 - (t - 2400) / 600));
  const scan = new LrFloorScan();
  const grown = { name: 'lr', originalName: 'lr', step: new Float64Array(0), value: new Float64Array(0) };
  const answers: boolean[] = [];
  for (let n = 0; n < T;) {
    n = Math.min(T, n + 1 + ((n * 7919) % 97));
    const step = Array.from({ length: n }, (_, i) => i + 1);
    grown.step = Float64Array.from(step);
    grown.value = Float64Array.from(step.map(lr));
    const inc = scan.update(grown);
    assert.equal(inc, lrAtFloor(seriesFrom('lr', 'lr', step, step.map(lr))), `at ${n} points`);
    answers.push(inc);
  }
  assert.equal(answers[0], false);
  assert.equal(answers[answers.length - 1], true, 'decayed to zero: at its floor');
  assert.ok(answers.some((x) => x) && answers.some((x) => !x));
});
