import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatCompact, formatForecast, formatInterval, parseQuantity, safeFileName } from '../../../webview/format';
import { parseColor, withAlpha } from '../../../webview/color';

test('formatCompact uses k/M/B/T and exponents for FLOPs', () => {
  assert.equal(formatCompact(124e6), '124M');
  assert.equal(formatCompact(1.5e9), '1.5B');
  assert.equal(formatCompact(24000), '24k');
  assert.equal(formatCompact(3.2e21), '3.2e21');
  assert.equal(formatCompact(1e21), '1e21');
  assert.equal(formatCompact(0.5), '0.5');
  assert.equal(formatCompact(0), '0');
  assert.equal(formatCompact(NaN), '—');
  assert.equal(formatCompact(undefined), '—');
});

test('formatForecast reads like "→ 2.38 ±0.01 @24k"', () => {
  assert.equal(
    formatForecast({ metric: 'loss', atStep: 24000, value: 2.381, lower: 2.371, upper: 2.391, law: 'p', lawName: 'P' }),
    '→ 2.38 ±0.01 @24k',
  );
  assert.equal(formatInterval(2.3841, 2.3811, 2.3871), '2.384 ±0.003');
  // sides 0.15 and 0.20 (25 % apart): [lo, hi], as the hover prints it — ±0.20 would overstate the lower side
  assert.equal(formatInterval(3.1, 2.95, 3.3), '3.10 [2.95, 3.30]');
  assert.equal(formatForecast(undefined), '');
  // A run that stopped early gets a what-if, and an end step that was assumed says so (issue 16: no silent 2×).
  const base = { metric: 'loss', atStep: 24000, value: 2.381, lower: 2.371, upper: 2.391, law: 'p', lawName: 'P' };
  assert.equal(
    formatForecast({ ...base, hypothetical: true, basis: 'if continued to step 24,000' }),
    'if continued: 2.38 ±0.01 @24k',
  );
  assert.equal(
    formatForecast({ ...base, basis: 'assumed end: step 24,000 = 2× the last step' }),
    '→ 2.38 ±0.01 @24k (assumed end)',
  );
});

test('parseQuantity accepts suffixes and exponents, rejects junk', () => {
  assert.equal(parseQuantity('7B'), 7e9);
  assert.equal(parseQuantity('1.4T'), 1.4e12);
  assert.equal(parseQuantity(' 350k '), 350e3);
  assert.equal(parseQuantity('1e21'), 1e21);
  assert.equal(parseQuantity('6,000'), 6000);
  assert.equal(parseQuantity('1.3G'), 1.3e9, 'as in Predict at… (one parser for both)');
  assert.equal(parseQuantity('-5'), null);
  assert.equal(parseQuantity('0'), null);
  assert.equal(parseQuantity('7 GB'), null);
  assert.equal(parseQuantity(''), null);
});

test('safeFileName yields names the host accepts even from hostile metric names', () => {
  const name = safeFileName(['scaling-lens', '../../etc/passwd', 'val/loss<script>'], 'png');
  assert.match(name, /^[\w.\- ]+$/);
  assert.ok(!name.includes('/'));
  assert.ok(name.endsWith('.png'));
  assert.ok(safeFileName(['x'.repeat(1000)], 'png').length <= 256);
  assert.equal(safeFileName(['///'], 'png'), 'chart.png');
});

test('withAlpha handles the colour forms VS Code variables use', () => {
  assert.deepEqual(parseColor('#3794ff'), [0x37, 0x94, 0xff, 1]);
  assert.deepEqual(parseColor('#fff'), [255, 255, 255, 1]);
  assert.equal(withAlpha('#3794ff', 0.5), 'rgba(55, 148, 255, 0.5)');
  assert.equal(withAlpha('#cccccc80', 0.5), 'rgba(204, 204, 204, 0.251)');
  assert.equal(withAlpha('rgba(204, 204, 204, 0.5)', 0.5), 'rgba(204, 204, 204, 0.25)');
  assert.equal(withAlpha('rgb(1 2 3)', 1), 'rgba(1, 2, 3, 1)');
  assert.equal(withAlpha('red', 0.5), 'red');
});
