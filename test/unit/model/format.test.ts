import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuantity, duration, shortNumber, forecastLine } from '../../../src/model/format';
import { csvCell } from '../../../src/model/exporters';

test('quantities with suffixes and exponents', () => {
  const cases: [string, number][] = [['1.3B', 1.3e9], ['125M', 125e6], ['125m', 125e6], ['7e9', 7e9], ['20k', 20000], ['6.2e23', 6.2e23], ['1,000,000', 1e6], [' 50k ', 5e4], ['2T', 2e12]];
  for (const [s, v] of cases) assert.ok(Math.abs(parseQuantity(s) - v) <= v * 1e-12, `${s} → ${parseQuantity(s)}`);
  for (const s of ['', 'abc', '-5', '0', '1.2.3', '5X', 'NaN', 'Infinity']) assert.ok(Number.isNaN(parseQuantity(s)), s);
});

test('durations and short numbers', () => {
  assert.equal(duration(7980), '2h13m');
  assert.equal(duration(95), '1m35s');
  assert.equal(duration(2 * 86400 + 3 * 3600), '2d3h');
  assert.equal(shortNumber(24000), '24k');
  assert.equal(shortNumber(1_500_000), '1.5M');
  // compute in FLOPs (Predict at C = 1e21) used to print as '1000000000000B'
  assert.equal(shortNumber(1e21), '1e21');
  assert.equal(shortNumber(2.5e12), '2.5T');
});

test('CSV cells are quoted and formula-injection safe', () => {
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell(NaN), 'NaN');
  assert.equal(csvCell(2.5), '2.5');
});

test('forecast line: the target, when set, with the step the forecast reaches it at or "not reached"', () => {
  const f = { metric: 'train/loss', atStep: 24_000, value: 2.38, lower: 2.37, upper: 2.39, law: 'pow3', lawName: 'pow3' };
  assert.equal(forecastLine('train/loss', 2.61, f), 'loss 2.61 → 2.38 ±0.01 @24k');
  assert.equal(forecastLine('train/loss', 2.61, { ...f, stepToTarget: 18_000 }, 2.5), 'loss 2.61 → 2.38 ±0.01 @24k · target 2.5 @18k');
  assert.equal(forecastLine('train/loss', 2.61, { ...f, stepToTarget: null }, 2.2), 'loss 2.61 → 2.38 ±0.01 @24k · target 2.2 not reached');
});
