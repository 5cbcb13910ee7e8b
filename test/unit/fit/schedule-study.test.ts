import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detailsFromNotes, plannedLr, stepUnit, DEFAULTS } from '../../../bench/plannedSchedule';
import { lofoWeight, lrDecays, POOL_SPLITS, type Rec } from '../../../bench/scheduleStudy';
import { BLIND_SPLITS } from './corpus';

// The schedule study of issue 12 (bench/scheduleStudy.ts, README "Backtest of the curve forecasts") forecasts
// under a planned LR synthesised from the corpus manifest; these tests hold the synthesis and the study's
// leave-one-family-out weight to what their doc comments promise.

test('detailsFromNotes: warmup as steps, as a share, or none; counts of samples/tokens are not steps', () => {
  assert.equal(detailsFromNotes('linear warmup 250 steps, constant').warmup, 250);
  assert.equal(detailsFromNotes('lr 4e-4, cosine_with_warmup (500 warmup, to 0.1x)').warmup, 500);
  assert.equal(detailsFromNotes('warmup 1% then cosine').warmupFrac, 0.01);
  assert.equal(detailsFromNotes('lr 0.0036, no warmup, linear warmdown').warmup, 0);
  const samples = detailsFromNotes('LR warmup 183k samples then cosine over 73.2M samples');
  assert.equal(samples.warmup, undefined);
  assert.equal(samples.warmupFrac, undefined);
});

test('detailsFromNotes: final LR as a multiple or a percentage of the peak, or decay to 0', () => {
  assert.equal(detailsFromNotes('cosine to 10% of max over 143,000 steps').finalRatio, 0.1);
  assert.equal(detailsFromNotes('cosine_with_warmup (100, to 0.1x) over 1000 steps').finalRatio, 0.1);
  assert.equal(detailsFromNotes('warmup then linear decay to 0 (logged)').finalRatio, 0);
  assert.equal(detailsFromNotes('linear decay to 0.1 x max over 24,576 steps').finalRatio, 0.1);
  assert.equal(detailsFromNotes('cosine schedule').finalRatio, undefined);
});

test('detailsFromNotes: a WSD decay over the last N steps or N %', () => {
  assert.equal(detailsFromNotes('constant, linear warmdown over the last 1,450 steps').decaySteps, 1450);
  assert.equal(detailsFromNotes('constant then linear cooldown over the last 40% of steps').decayFrac, 0.4);
});

test('plannedLr: cosine from the peak after the warmup to the final ratio at T, never rising', () => {
  const p = plannedLr('cosine', 10000, { warmup: 100, finalRatio: 0.1 })!;
  assert.deepEqual([p.steps[0], p.lr[0]], [0, 0]);
  assert.deepEqual([p.steps[1], p.lr[1]], [100, 1]);
  assert.equal(p.steps[p.steps.length - 1], 10000);
  assert.ok(Math.abs(p.lr[p.lr.length - 1] - 0.1) < 1e-12);
  for (let i = 2; i < p.lr.length; i++) assert.ok(p.lr[i] <= p.lr[i - 1] + 1e-12);
  // halfway through the decay, halfway between peak and final
  const mid = p.steps.indexOf(5050);
  assert.ok(mid > 0);
  assert.ok(Math.abs(p.lr[mid] - 0.55) < 1e-9);
});

test('plannedLr: WSD holds the peak until the decay start, then decays linearly; defaults when unstated', () => {
  assert.deepEqual(plannedLr('wsd', 6000, { warmup: 250, decaySteps: 1800 }), {
    steps: [0, 250, 4200, 6000],
    lr: [0, 1, 1, 0],
  });
  const d = plannedLr('wsd', 1000)!;
  assert.deepEqual(d.steps, [0, 1000 - DEFAULTS.wsdDecayFrac * 1000, 1000]);
  assert.deepEqual(plannedLr('linear', 500, { finalRatio: 0.1 }), { steps: [0, 500], lr: [1, 0.1] });
  assert.equal(plannedLr('constant', 500), null);
  assert.equal(plannedLr('cosine', 1), null);
});

test('stepUnit brings a long schedule to at most maxSteps steps, and leaves short ones alone', () => {
  assert.equal(stepUnit(5000, 20000), 1);
  assert.equal(572000 / stepUnit(572000, 20000), 20000);
});

test('lrDecays: a logged LR that falls to half its peak after it', () => {
  assert.equal(lrDecays([0, 1, 1, 0.9, 0.4]), true);
  assert.equal(lrDecays([0, 1, 1, 1, 0.9]), false);
  assert.equal(lrDecays([0.2, 0.4, 1]), false);
});

test('lofoWeight: a family never chooses its own weight', () => {
  const rec = (family: string, main: number, mpl: number, truth: number, k: number): Rec => ({
    id: `${family}-${k}@0.3`,
    family,
    split: 'dev',
    cut: 0.3,
    truth,
    source: 'manifest',
    domain: 'lm-pretraining',
    main,
    mpl,
  });
  // family A (5 records): the MPL is exact; B and C (2 each): main is exact. With its own records A would win
  // the median (w = 1); left out, the others choose main (w = 0). B, left out, sees A's majority (w = 1).
  const recs = [
    ...[0, 1, 2, 3, 4].map((k) => rec('A', 2.2, 2.0, 2.0, k)),
    ...[0, 1].map((k) => rec('B', 3.0, 3.3, 3.0, k)),
    ...[0, 1].map((k) => rec('C', 4.0, 4.4, 4.0, k)),
  ];
  assert.equal(lofoWeight(recs, 'A'), 0);
  assert.equal(lofoWeight(recs, 'B'), 1);
});

test('the schedule study never loads a blind hold-out (BLIND_SPLITS) nor holdout9 (its own rule)', () => {
  for (const blind of [...BLIND_SPLITS, 'holdout9']) assert.ok(!(POOL_SPLITS as string[]).includes(blind), blind);
  assert.ok((POOL_SPLITS as string[]).includes('dev') && (POOL_SPLITS as string[]).includes('holdout8'));
});
