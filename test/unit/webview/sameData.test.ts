import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sameData } from '../../../webview/store';

test('run-list rows are compared by value: nested forecast and metrics, NaN, absent vs undefined fields', () => {
  const f = { metric: 'loss', atStep: 100, value: 2.5, lower: 2.4, upper: 2.6, law: 'p', lawName: 'P' };
  const a = { id: 'a', label: 'a', metrics: ['loss', 'lr'], forecast: f, lastValue: NaN, params: undefined };
  assert.equal(sameData(a, { ...a, metrics: ['loss', 'lr'], forecast: { ...f } }), true, 'equal copies');
  assert.equal(
    sameData(a, { id: 'a', label: 'a', metrics: ['loss', 'lr'], forecast: f, lastValue: NaN }),
    true,
    'an undefined field equals an absent one',
  );
  assert.equal(sameData(a, { ...a, forecast: { ...f, upper: 2.61 } }), false, 'a nested field differs');
  assert.equal(sameData(a, { ...a, metrics: ['loss'] }), false, 'an array differs in length');
  assert.equal(sameData(a, { ...a, metrics: ['lr', 'loss'] }), false, 'an array differs in order');
  assert.equal(sameData(a, { ...a, lastValue: 3 }), false);
  assert.equal(sameData(a, { ...a, extra: 1 }), false, 'an added field');
  assert.equal(sameData([1], { 0: 1 }), false, 'an array is not an object');
  assert.equal(sameData(null, {}), false);
  assert.equal(sameData(0, -0), false, 'Object.is: a sign change is shown');
});
