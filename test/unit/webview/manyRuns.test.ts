// The pure pieces of the chart at 100+ runs: palette distinctness, grouping, filter, panel splitting, smoothing of
// short series, lopsided intervals and the export layout.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { deltaE, hexToLab, oklchToHex, runColors, type ColorRun } from '../../../webview/palette';
import { groupOf, matchesFilter, orderByGroup, seriesLevel, splitPanels } from '../../../webview/grouping';
import { buildPoints, effectiveSmoothing, emaNext, newEma, stepAtX, xMapper } from '../../../webview/series';
import { formatInterval } from '../../../webview/format';
import { intervalText } from '../../../src/model/format';
import { latexToText, legendRows, paramsLine, wrapText } from '../../../webview/exportLayout';
import type { SeriesData } from '../../../src/protocol';

const F = (a: number[]) => Float64Array.from(a);

function manyRuns(groups: number, perGroup: number): ColorRun[] {
  const out: ColorRun[] = [];
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < perGroup; i++)
      out.push({ id: `g${g}-r${i}`, group: `sweep-${g}`, label: `run ${i}`, params: 1e6 * 1.5 ** i });
  }
  return out;
}

function minPairwise(colors: string[]): number {
  let min = Infinity;
  for (let i = 0; i < colors.length; i++)
    for (let j = i + 1; j < colors.length; j++) min = Math.min(min, deltaE(colors[i], colors[j]));
  return min;
}

test('colour conversions agree with known values', () => {
  // sRGB primaries in OKLCH (Ottosson's published values) and white.
  assert.equal(oklchToHex(0.627955, 0.257683, 29.2339), '#ff0000');
  assert.equal(oklchToHex(0.86644, 0.294827, 142.4953), '#00ff00');
  assert.equal(oklchToHex(0.452014, 0.313214, 264.052), '#0000ff');
  assert.equal(oklchToHex(1, 0, 0), '#ffffff');
  // Out of gamut: chroma is reduced, lightness kept (a grey-ish colour of about the same L*, not garbage).
  assert.match(oklchToHex(0.9, 0.4, 30), /^#[0-9a-f]{6}$/);
  // CIELAB of sRGB white and mid grey (#777777 → L* 50.03), published values.
  const w = hexToLab('#ffffff');
  assert.ok(Math.abs(w[0] - 100) < 0.05 && Math.abs(w[1]) < 0.05 && Math.abs(w[2]) < 0.05);
  assert.ok(Math.abs(hexToLab('#777777')[0] - 50.03) < 0.05);
  assert.ok(Math.abs(deltaE('#ff0000', '#ff0000')) < 1e-9);
});

test('100 runs get 100 distinguishable colours (every pair above a just-noticeable ΔE), in every theme', () => {
  for (const [groups, per] of [
    [1, 100],
    [4, 25],
    [10, 10],
    [25, 4],
  ] as const) {
    for (const kind of ['dark', 'light', 'high-contrast', 'high-contrast-light'] as const) {
      const runs = manyRuns(groups, per);
      const colors = runColors(runs, kind);
      const list = runs.map((r) => colors.get(r.id)!);
      assert.equal(new Set(list).size, 100, `${groups}×${per} ${kind}: all distinct`);
      const min = minPairwise(list);
      assert.ok(min > 2.3, `${groups}×${per} ${kind}: closest pair ΔE ${min.toFixed(2)}`);
    }
  }
  // The old six-colour cycle fails this (runs 1 and 7 were identical).
  const cycle = Array.from(
    { length: 100 },
    (_, i) => ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i % 6],
  );
  assert.equal(minPairwise(cycle), 0);
});

test('runs of a group share a hue band ordered by size; colours are deterministic and independent of input order', () => {
  const runs = manyRuns(3, 8);
  const a = runColors(runs, 'dark');
  const b = runColors([...runs].reverse(), 'dark');
  for (const r of runs) assert.equal(a.get(r.id), b.get(r.id));
  // Mean hue distance inside a group is smaller than between group centres: the smallest runs of two groups differ more
  // than two neighbours in one group.
  const within = deltaE(a.get('g0-r0')!, a.get('g0-r1')!);
  const across = deltaE(a.get('g0-r0')!, a.get('g1-r0')!);
  assert.ok(across > within, `across ${across.toFixed(1)} > within ${within.toFixed(1)}`);
  // Light themes get darker colours than dark themes.
  const light = runColors(runs, 'light');
  const meanL = (m: Map<string, string>) => [...m.values()].reduce((s, c) => s + hexToLab(c)[0], 0) / m.size;
  assert.ok(meanL(light) < meanL(a) - 10);
});

test('groups: the host group, else the folder of the path; the list orders by group, stable inside', () => {
  assert.equal(groupOf({ group: 'sweeps/a', relPath: 'x/y.log' }), 'sweeps/a');
  assert.equal(groupOf({ relPath: 'ft/bert/train.log' }), 'ft/bert');
  assert.equal(groupOf({ relPath: 'train.log' }), '(workspace)');
  const runs = [
    { id: 1, group: 'b' },
    { id: 2, group: 'a' },
    { id: 3, group: 'b' },
    { id: 4, group: 'a' },
  ];
  assert.deepEqual(
    orderByGroup(runs).map((r) => r.id),
    [2, 4, 1, 3],
  );
});

test('filter: all terms must match label, group or path, case-insensitively; -term excludes', () => {
  const r = { label: 'GPT-124M lr=6e-4', group: 'sweeps/chinchilla', relPath: 'sweeps/chinchilla/124m/train.log' };
  assert.ok(matchesFilter(r, ''));
  assert.ok(matchesFilter(r, 'gpt'));
  assert.ok(matchesFilter(r, 'chinchilla 124m'));
  assert.ok(!matchesFilter(r, 'chinchilla 350m'));
  assert.ok(!matchesFilter(r, '-chinchilla'));
  assert.ok(matchesFilter(r, 'gpt -bert'));
  assert.ok(matchesFilter(r, '-'), 'a lone dash is not an exclusion of everything');
});

test('panels: one metric per panel, and levels more than 3× apart split a metric', () => {
  const panels = splitPanels([
    { runId: 'pre-1', metric: 'loss', level: 3.2 },
    { runId: 'pre-2', metric: 'loss', level: 2.7 },
    { runId: 'ft-1', metric: 'loss', level: 0.35 },
    { runId: 'det', metric: 'loss_box_reg', level: 0.4 },
    { runId: 'ft-2', metric: 'loss', level: 0.5 },
    { runId: 'new', metric: 'loss' },
    { runId: 'acc', metric: 'eval/accuracy', level: 0.81 },
  ]);
  const by = (id: string) => panels.find((p) => p.runIds.includes(id))!;
  assert.equal(panels.length, 4);
  assert.equal(by('pre-1'), by('pre-2'));
  assert.equal(by('ft-1'), by('ft-2'));
  assert.notEqual(by('pre-1'), by('ft-1'));
  assert.notEqual(by('det'), by('ft-1'), 'another metric, even at the same level');
  assert.equal(by('new').metric, 'loss');
  assert.match(by('ft-1').title, /^loss \(0\.35–0\.5\)$/);
  assert.equal(by('acc').title, 'eval/accuracy');
  // Order: by first appearance.
  assert.deepEqual(panels[0].runIds.slice(0, 2), ['pre-1', 'pre-2']);
  // One sweep of sizes stays one panel without a level in its title.
  const one = splitPanels([3.4, 3.1, 2.9, 2.6].map((l, i) => ({ runId: `r${i}`, metric: 'val/loss', level: l })));
  assert.equal(one.length, 1);
  assert.equal(one[0].title, 'val/loss');
  // More panels than allowed: the rest share the last one.
  const many = splitPanels(
    Array.from({ length: 9 }, (_, i) => ({ runId: `m${i}`, metric: `metric${i}`, level: 1 })),
    3,
    6,
  );
  assert.equal(many.length, 6);
  assert.deepEqual(many[5].runIds, ['m5', 'm6', 'm7', 'm8']);
  assert.match(many[5].title, /other: metric5, metric6/);
});

test('series level: median of the finite values of the last quarter', () => {
  assert.equal(seriesLevel([9, 8, 7, 6, 5, 4, 3, 2]), 2.5);
  assert.equal(seriesLevel([9, 8, 7, 6, 5, 4, NaN, 3]), 3);
  assert.equal(seriesLevel([NaN, NaN]), undefined);
  assert.equal(seriesLevel([5]), 5);
  // A long series is sampled: the level of a ramp 0…1e6 is still about its last-quarter median (875k).
  const ramp = Array.from({ length: 1_000_001 }, (_, i) => i);
  assert.ok(Math.abs(seriesLevel(ramp)! - 875_000) < 200);
});

/** An eval curve sampled at n points: loss falling from 8 to about 3. */
function evalCurve(n: number): SeriesData {
  const step: number[] = [],
    y: number[] = [];
  for (let i = 0; i < n; i++) {
    step.push((i + 1) * 500);
    y.push(2.8 + 5.2 * Math.exp(-i / (n / 4)));
  }
  return { runId: 'r', metric: 'val/loss', step: F(step), y: F(y) };
}

test('smoothing respects short series: the window is capped at a tenth of the points, long series keep the weight', () => {
  assert.equal(effectiveSmoothing(0.93, 100_000), 0.93);
  assert.equal(effectiveSmoothing(0.93, 143), 0.93);
  assert.ok(Math.abs(effectiveSmoothing(0.93, 50) - 0.8) < 1e-12, 'window ≤ 5 points');
  assert.equal(effectiveSmoothing(0.93, 8), 0, 'under 10 points: no smoothing');
  assert.equal(effectiveSmoothing(0, 50), 0);
  // A 20-point eval curve: the plain debiased EMA at 0.93 ends far above the data; the capped one stays close.
  const s = evalCurve(20);
  const x = xMapper('step', s)!;
  const last = s.y[s.y.length - 1];
  const plain = buildPoints(s, x, { smoothing: 0.93, logX: false, logY: false });
  const capped = buildPoints(s, x, { smoothing: effectiveSmoothing(0.93, s.y.length), logX: false, logY: false });
  const plainGap = plain.ys.at(-1)! - last,
    cappedGap = capped.ys.at(-1)! - last;
  assert.ok(plainGap > 0.5, `plain EMA lags by ${plainGap.toFixed(2)}`);
  assert.ok(cappedGap < 0.1, `capped EMA lags by ${cappedGap.toFixed(3)}`);
  // An independent computation of the debiased EMA at the capped weight (TensorBoard's formula).
  const w = effectiveSmoothing(0.93, 20);
  let num = 0,
    den = 0;
  for (const v of s.y) {
    num = w * num + v;
    den = w * den + 1;
  }
  assert.ok(Math.abs(capped.ys.at(-1)! - num / den) < 1e-12);
  const st = newEma();
  let e = 0;
  for (const v of s.y) e = emaNext(st, v, w);
  assert.ok(Math.abs(e - num / den) < 1e-12);
});

test('intervals: symmetric ones as ±, lopsided ones as [lo, hi]', () => {
  assert.equal(formatInterval(2.3841, 2.3811, 2.3871), '2.384 ±0.003');
  assert.equal(formatInterval(1.62, 0.0081, 1.88), '1.62 [8.1e-3, 1.88]');
  // a lower end below a thousandth of the value says only "as low as zero" (a band of [9.2e-17, 1.548] under 1.351)
  assert.equal(formatInterval(1.62, 8e-13, 1.88), '1.62 [≈0, 1.88]');
  assert.equal(formatInterval(1.351, 9.219e-17, 1.548), '1.35 [≈0, 1.55]');
  assert.equal(
    formatInterval(1.62, 0.00163, 1.88),
    '1.62 [1.6e-3, 1.88]',
    'a thousandth of the value or more: printed',
  );
  assert.equal(formatInterval(3.95, 3.94, 4.3), '3.95 [3.94, 4.30]');
  assert.ok(!formatInterval(1.62, 8e-13, 1.88).includes('±'));
  // A calibrated band lopsided by 1.3× (log-space): [lo, hi] in the dashboard as in the hover, never ±(larger side)
  assert.equal(formatInterval(3.36, 3.0, 3.83), '3.36 [3.00, 3.83]');
  // The dashboard and the host (hover, tree, report) agree on which intervals are ±, on random ones.
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 2000; i++) {
    const v = 1 + 5 * rnd(),
      down = 0.5 * rnd(),
      up = down * (0.7 + 0.6 * rnd());
    assert.equal(
      formatInterval(v, v - down, v + up).includes('±'),
      intervalText(v, v - down, v + up).startsWith('±'),
      `${v} −${down} +${up}`,
    );
  }
});

test('export layout: text wraps at the width, legend items flow into rows', () => {
  const measure = (t: string) => t.length * 7;
  assert.deepEqual(wrapText('E = 1.69 A = 406 alpha = 0.34', 63, measure), ['E = 1.69', 'A = 406', 'alpha =', '0.34']);
  const items = Array.from({ length: 10 }, (_, i) => ({ label: `run-${i}`, color: '#fff' }));
  // Each item: 18 + 6 + 35 = 59 px, plus 16 px gap → 75 px; 300 px hold 4 per row.
  const rows = legendRows(items, 300, measure);
  assert.deepEqual(
    rows.map((r) => r.length),
    [4, 4, 2],
  );
  assert.deepEqual(
    rows[1].map((p) => p.x),
    [0, 75, 150, 225],
  );
  assert.equal(rows.flat().length, 10);
});

test("export text: a law's LaTeX as readable plain text, parameters with their intervals", () => {
  assert.equal(
    latexToText('L(N,D) = E + \\frac{A}{N^{\\alpha}} + \\frac{B}{D^{\\beta}}'),
    'L(N,D) = E + A/N^α + B/D^β',
  );
  assert.equal(latexToText('L(x) = E + A\\,x^{-\\alpha}'), 'L(x) = E + A x^(-α)');
  assert.equal(latexToText('L(x) = \\exp\\left(a + \\frac{b}{x} + c \\ln x\\right)'), 'L(x) = exp(a + b/x + c ln x)');
  assert.equal(
    latexToText('L(x) = \\alpha + \\frac{\\beta - \\alpha}{1 + (\\kappa x)^{\\delta}}'),
    'L(x) = α + (β - α)/(1 + (κ x)^δ)',
  );
  assert.equal(
    paramsLine(
      [
        { name: 'E', value: 1.69, lower: 1.6, upper: 1.8 },
        { name: 'alpha', value: 0.34 },
      ],
      String,
    ),
    'E = 1.69 [1.6, 1.8], alpha = 0.34',
  );
});

test('tooltips on the tokens axis find the step of the nearest point', () => {
  const s: SeriesData = {
    runId: 'r',
    metric: 'loss',
    step: F([10, 20, 30, 40, 50]),
    tokens: F([1e6, 2e6, 3e6, 4e6, 5e6]),
    y: F([5, 4, 3, 2, 1]),
  };
  const x = xMapper('tokens', s)!;
  assert.equal(stepAtX(s, x, 3e6), 30);
  assert.equal(stepAtX(s, x, 3.4e6), 30);
  assert.equal(stepAtX(s, x, 3.6e6), 40);
  assert.equal(stepAtX(s, x, 0), 10);
  assert.equal(stepAtX(s, x, 9e9), 50);
  assert.equal(stepAtX({ runId: 'r', metric: 'm', step: F([]), y: F([]) }, x, 1), undefined);
});
