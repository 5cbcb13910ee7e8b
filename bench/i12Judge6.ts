/**
 * Issue 12 study 6's candidate C7 judged ONCE on the blind curve hold-out 17 against main (session 25).
 *
 * JUDGEMENT, as declared in bench/i12Study6.ts (committed at 157972e before the study ran), written out here by the
 * lead 2026-12-05 00:25 UTC before any forecast of hold-out 17 was computed (committed before it is run):
 *  The tasks are all of hold-out 17's backtest tasks (the usual 10 / 30 / 50 % cuts of every curve it holds when
 *  scored; the judgement needs at least 5 curves). Forecasts with scenario 'unknown' and the shipped calibrated band,
 *  as the backtest makes them; C7 is fitCurve with `burnIn: 3` on prefixes of at least 60 points, main's fit
 *  otherwise. C7 passes when all three hold:
 *   (a) its median |forecast / final − 1| at the 30 % cut is below main's;
 *   (b) at no cut is its median worse than main's by more than 0.5 points;
 *   (c) at every cut its band covers at least as many final values as main's, less one.
 *  If C7 passes it becomes the default (with the band table recalibrated on the pool as the README's recipe says);
 *  if it fails it is dropped. Either way hold-out 17 is then unblinded, and main's own hold-out 17 backtest
 *  (bench/backtest.ts --split holdout17) is run once in the same session and recorded with it.
 *
 * RESULT (2026-12-05 00:25 UTC, at 2b17fca, before the adoption; 11 curves, 33 tasks): C7 PASSES. Median |error|
 * main / C7: 10 % 22.82 / 22.82 %, 30 % 10.99 / 10.22 %, 50 % 8.97 / 5.52 %; C7 worse on 2 of 11 at each cut;
 * coverage 11/11 for both at every cut (with the band table then in use). C7 became the default (fitCurve's
 * DENSE_BURN_IN) and the band table was regenerated; hold-out 17 is no longer blind. Re-run now, "main" is the
 * forecaster before the adoption (`burnIn: 1`, every point) and the band is today's table, so the coverage columns
 * differ from the judgement's.
 *
 *   node --import tsx bench/i12Judge6.ts
 */
import { corpusCurves } from '../test/unit/fit/corpus';
import { CUTS, tasksOf } from '../test/unit/fit/curve-tasks';
import { fitCurve } from '../src/fit/curve/fitCurve';
import { forecastOf, judgeCovers, judgeErr, medianAll, type Scored } from './i12Study';

const DENSE = 60;
const curves = corpusCurves('holdout17');
const { tasks, skipped } = tasksOf(curves);
const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
const err = judgeErr,
  covers = judgeCovers,
  median = medianAll;

console.log(`hold-out 17: ${curves.length} curves, ${tasks.length} tasks`);
if (curves.length < 5) {
  console.log('fewer than 5 curves: no judgement (declared)');
  process.exit(0);
}
if (skipped.length) console.log(`skipped: ${skipped.join(', ')}`);
console.log(
  '\n| task | cut | prefix points | final | main | main band | C7 | C7 band |\n|---|---|---|---|---|---|---|---|',
);
const rows = tasks.map((t) => {
  const main = forecastOf(t, fitCurve(t.x, t.y, { burnIn: 1 }));
  const c7 = t.x.length >= DENSE ? forecastOf(t, fitCurve(t.x, t.y, { burnIn: 3 })) : main;
  const band = (p: Scored | null) => (p ? `${p.lower.toFixed(3)}–${p.upper.toFixed(3)}` : '—');
  console.log(
    `| ${t.curve} | ${t.cut * 100} % | ${t.x.length} | ${t.truth.toFixed(3)} | ` +
      `${main ? main.value.toFixed(3) : '—'} (${pct(err(main, t.truth))}) | ${band(main)} | ` +
      `${c7 ? c7.value.toFixed(3) : '—'} (${pct(err(c7, t.truth))}) | ${band(c7)} |`,
  );
  return {
    cut: t.cut,
    em: err(main, t.truth),
    ec: err(c7, t.truth),
    cm: covers(main, t.truth),
    cc: covers(c7, t.truth),
  };
});
let a = false,
  b = true,
  c = true;
console.log(
  '\n| cut | tasks | main median | C7 median | C7 worse on | main coverage | C7 coverage |\n|---|---|---|---|---|---|---|',
);
for (const cut of CUTS) {
  const r = rows.filter((q) => q.cut === cut);
  if (!r.length) continue;
  const mm = median(r.map((q) => q.em)),
    mc = median(r.map((q) => q.ec));
  const covM = r.filter((q) => q.cm).length,
    covC = r.filter((q) => q.cc).length;
  console.log(
    `| ${cut * 100} % | ${r.length} | ${pct(mm)} | ${pct(mc)} | ${r.filter((q) => q.ec > q.em).length} | ${covM}/${r.length} | ${covC}/${r.length} |`,
  );
  if (cut === 0.3) a = mc < mm;
  if (mc > mm + 0.005) b = false;
  if (covC < covM - 1) c = false;
}
console.log(
  `\n(a) 30 % median below main's → ${a}\n(b) no cut worse by > 0.5 points → ${b}\n(c) coverage ≥ main's − 1 at every cut → ${c}`,
);
console.log(`C7 ${a && b && c ? 'PASSES' : 'FAILS'} the declared judgement`);
