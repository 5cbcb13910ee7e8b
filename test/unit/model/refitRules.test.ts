import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refitsForSettings, refitsForOptions, type FitSettings } from '../../../src/model/refitRules';

const base: FitSettings = {
  confidence: 0.9,
  bootstrapSamples: 500,
  runParameters: { 'a/train.log': 1.2e8 },
  liveTimeoutSeconds: 120,
};

test('settings: only what a fit uses refits it', () => {
  assert.deepEqual(refitsForSettings(base, { ...base }), { curves: false, sweep: false }, 'nothing changed');
  assert.deepEqual(
    refitsForSettings(base, { ...base, bootstrapSamples: 1000 }),
    { curves: false, sweep: true },
    'curve fits do not use bootstrap samples',
  );
  assert.deepEqual(refitsForSettings(base, { ...base, confidence: 0.95 }), { curves: true, sweep: true });
  assert.deepEqual(refitsForSettings(base, { ...base, runParameters: { 'a/train.log': 3e8 } }), {
    curves: false,
    sweep: true,
  });
  assert.deepEqual(
    refitsForSettings(base, { ...base, runParameters: { 'a/train.log': 1.2e8 } }),
    { curves: false, sweep: false },
    'an equal copy is no change',
  );
  assert.deepEqual(refitsForSettings(base, { ...base, runParameters: {} }), { curves: false, sweep: true });
  assert.deepEqual(refitsForSettings(base, { ...base, liveTimeoutSeconds: 60 }), { curves: false, sweep: true });
});

test('dashboard options: the curve law refits curves only, the sweep law the sweep only, the metric both', () => {
  const o = { metric: 'auto', curveLaw: 'auto', sweepLaw: 'chinchilla' };
  assert.deepEqual(refitsForOptions(o, { curveLaw: 'pow3' }), { curves: true, sweep: false });
  assert.deepEqual(refitsForOptions(o, { sweepLaw: 'pure-power' }), { curves: false, sweep: true });
  assert.deepEqual(refitsForOptions(o, { metric: 'val/loss' }), { curves: true, sweep: true });
  assert.deepEqual(
    refitsForOptions(o, { metric: 'auto', curveLaw: 'auto' }),
    { curves: false, sweep: false },
    'same values',
  );
  assert.deepEqual(refitsForOptions(o, {}), { curves: false, sweep: false });
});
