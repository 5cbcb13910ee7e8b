import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseQuantity,
  duration,
  shortNumber,
  forecastLine,
  intervalText,
  lowerText,
  identifiabilityWarnings,
  approachDisagreement,
} from '../../../src/model/format';
import { csvCell } from '../../../src/model/exporters';
import { fmtCount } from '../../../src/cli/output';
import { formatCompact } from '../../../src/shared/format';

test('quantities with suffixes and exponents', () => {
  const cases: [string, number][] = [
    ['1.3B', 1.3e9],
    ['125M', 125e6],
    ['125m', 125e6],
    ['7e9', 7e9],
    ['20k', 20000],
    ['6.2e23', 6.2e23],
    ['1,000,000', 1e6],
    [' 50k ', 5e4],
    ['2T', 2e12],
  ];
  for (const [s, v] of cases) assert.ok(Math.abs(parseQuantity(s) - v) <= v * 1e-12, `${s} → ${parseQuantity(s)}`);
  for (const s of ['', 'abc', '-5', '0', '1.2.3', '5X', 'NaN', 'Infinity'])
    assert.ok(Number.isNaN(parseQuantity(s)), s);
});

test('durations and short numbers', () => {
  assert.equal(duration(7980), '2h13m');
  assert.equal(duration(95), '1m35s');
  assert.equal(duration(2 * 86400 + 3 * 3600), '2d3h');
  assert.equal(shortNumber(24000), '24k');
  assert.equal(shortNumber(1_500_000), '1.5M');
  // compute in FLOPs (Predict at C = 1e21): an exponent, not '1000000000000B'
  assert.equal(shortNumber(1e21), '1e21');
  assert.equal(shortNumber(2.5e12), '2.5T');
});

test("the CLI's counts come from the same formatter, with 4 significant digits", () => {
  assert.equal(fmtCount(10_650_000), '10.65M');
  assert.equal(fmtCount(123_690_000), '123.7M');
  assert.equal(fmtCount(1.9e9), '1.9B');
  assert.equal(fmtCount(350_000), '350k');
  assert.equal(fmtCount(999), '999');
  assert.equal(fmtCount(undefined), '-');
  assert.equal(formatCompact(10_650_000), '10.7M', 'without significant digits: the dashboard and hover form');
  assert.equal(formatCompact(-2_345_600, 3), '-2.35M');
});

test('CSV cells are quoted and formula-injection safe', () => {
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell(NaN), 'NaN');
  assert.equal(csvCell(2.5), '2.5');
});

test('forecast line: the target, when set, with the step the forecast reaches it at or "not reached"', () => {
  const f = {
    metric: 'train/loss',
    atStep: 24_000,
    value: 2.38,
    lower: 2.37,
    upper: 2.39,
    law: 'pow3',
    lawName: 'pow3',
  };
  assert.equal(forecastLine('train/loss', 2.61, f), 'loss 2.61 → 2.38 ±0.01 @24k');
  assert.equal(
    forecastLine('train/loss', 2.61, { ...f, stepToTarget: 18_000 }, 2.5),
    'loss 2.61 → 2.38 ±0.01 @24k · target 2.5 @18k',
  );
  assert.equal(
    forecastLine('train/loss', 2.61, { ...f, stepToTarget: 18_000, stepToTargetBand: [14_000, 26_500] }, 2.5),
    'loss 2.61 → 2.38 ±0.01 @24k · target 2.5 @18k (14k–26.5k)',
  );
  assert.equal(
    forecastLine('train/loss', 2.61, { ...f, stepToTarget: 18_000, stepToTargetBand: [14_000, null] }, 2.5),
    'loss 2.61 → 2.38 ±0.01 @24k · target 2.5 @18k (≥14k)',
  );
  assert.equal(
    forecastLine('train/loss', 2.61, { ...f, stepToTarget: null }, 2.2),
    'loss 2.61 → 2.38 ±0.01 @24k · target 2.2 not reached',
  );
});

test('intervals: ± only when symmetric within 10 %; lopsided ones as [lo, hi]', () => {
  assert.equal(intervalText(2.38, 2.37, 2.39), '±0.01');
  assert.equal(intervalText(2.38, 2.3705, 2.3905), '±0.01', 'sides 0.0095 vs 0.0105: within 10 %');
  assert.equal(intervalText(3.95, 3.9, 4.2), '[3.9, 4.2]');
  assert.equal(intervalText(1.62, 0.0081, 1.88), '[0.0081, 1.88]');
  // a lower end below a thousandth of the value: "≈0", not a meaningless 8e-13 (the number itself is kept elsewhere)
  assert.equal(intervalText(1.62, 8e-13, 1.88), '[≈0, 1.88]');
  assert.equal(intervalText(1.62, 0.00163, 1.88), '[0.00163, 1.88]');
  // the hover's lower end follows the same rule
  assert.equal(lowerText(1.351, 9.219e-17), '≈0');
  assert.equal(lowerText(1.351, 1.2), '1.200');
});

test('identifiability: an interval spanning orders of magnitude (or reaching zero) is flagged; a tight one is not', () => {
  const w = identifiabilityWarnings([
    { name: 'E', value: 1.62, lower: 8e-13, upper: 1.88 },
    { name: 'alpha', value: 0.34, lower: 0.317, upper: 0.373 },
    { name: 'A', value: 400, lower: -20, upper: 900 },
    { name: 'B', value: 410 },
  ]);
  assert.equal(w.length, 2);
  assert.match(
    w[0],
    /^E = 1\.62 in \[8e-13, 1\.88\]: not identified by these points \(the interval spans 12 orders of magnitude\)/,
  );
  assert.match(w[1], /^A = 400 .*reaches zero/);
});

test('compute-optimal methods: disagreement beyond the parametric interval is flagged, agreement is not', () => {
  const approaches = [
    { id: 'closed-form', name: 'Parametric fit', a: 0.41 },
    { id: 'isoflop', name: 'IsoFLOP profiles', note: 'no budgets' },
    { id: 'envelope', name: 'Loss envelope', a: 0.23 },
  ];
  const w = approachDisagreement({ approaches, exponents: { a: 0.41, b: 0.59, aInterval: [0.38, 0.45] } });
  assert.match(
    w!,
    /disagree beyond their intervals.*a = 0\.41 \[0\.38, 0\.45\] \(Parametric fit\) vs 0\.23 \(Loss envelope\)/,
  );
  assert.equal(
    approachDisagreement({
      approaches: [approaches[0], { ...approaches[2], a: 0.43 }],
      exponents: { a: 0.41, b: 0.59, aInterval: [0.38, 0.45] },
    }),
    undefined,
  );
  // without an interval: more than 0.1 apart
  assert.ok(approachDisagreement({ approaches, exponents: { a: 0.41, b: 0.59 } }));
});

test('forecast line: a what-if for a stopped run, an assumed end said, state when there is no forecast', () => {
  const f = { metric: 'train/loss', atStep: 20000, value: 2.38, lower: 2.3, upper: 2.6, law: 'pow3', lawName: 'pow3' };
  assert.equal(
    forecastLine('train/loss', 2.61, { ...f, hypothetical: true, basis: 'if continued to step 20,000' }),
    'loss 2.61 · if continued: 2.38 [2.3, 2.6] @20k',
  );
  assert.equal(
    forecastLine('val/loss', 2.61, {
      ...f,
      lower: 2.37,
      upper: 2.39,
      basis: 'assumed end: step 20,000 = 2× the last step',
    }),
    'val loss 2.61 → 2.38 ±0.01 @20k assumed',
  );
  assert.equal(forecastLine('train/loss', 2.61, undefined, null, 'finished'), 'loss 2.61 (finished)');
  assert.equal(forecastLine('train/loss', NaN, undefined, null, 'diverged'), 'loss NaN (diverged)');
});
