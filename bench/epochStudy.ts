/**
 * Issue 12, session 31, item 2: multi-epoch runs. Every corpus curve whose source states its epoch structure
 * (test/fixtures/curves/epochs.json: the planned epochs and the steps per epoch) is cut at 10 / 30 / 50 % and its
 * final loss forecast three ways, each in the scenario the product chooses (curve-tasks.ts taskScenario):
 *
 *   before — fitCurve / predictCurve as they are (no notion of epochs);
 *   V1     — the epoch rule of bench/epochRule.ts (acts only once a boundary has been measured in the prefix);
 *   V2     — V1, and in the first epoch (no boundary measured yet, boundaries ahead) a prior drop per boundary: the
 *            median over the OTHER families (leave-one-family-out) of each family's median measured drop on its
 *            complete curves (boundaries of the whole curve, epochs with ≥ MIN_POINTS_PER_EPOCH points); the band
 *            widened to 0 … 2× that drop per boundary ahead, as V1 does.
 *
 * next to the bounded scipy pow3 and the last value of the same run. Landing rule (declared in the brief before the
 * study): the rule lands only if it lowers the median error on the multi-epoch curves at ≥ 2 of the 3 cuts without
 * the band's coverage falling below 90 % there; if V1 and V2 both pass, V1 (simpler) unless V2 is better at every cut.
 * The curves outside epochs.json have no epoch length, so the rule cannot act on them (checked: their forecasts are
 * counted and compared too).
 *
 *   node --import tsx bench/epochStudy.ts [--no-scipy] [--verbose]
 */
import { CUTS, tasksOf, taskScenario } from '../test/unit/fit/curve-tasks';
import { fitCurve, predictCurve } from '../src/fit/curve/fitCurve';
import { boundariesBefore, epochForecast, epochPlan } from './epochRule';
import { loggedWithinEpochs } from '../src/fit/curve/epochs';
import { cov, pct, recordOf, scipyOf, studyCurves, summarise, type Scored, type StudyRecord } from './scenarioStudy';
import { median } from './curveBaselines';
import { epochTable, familyDrops } from './epochCorpus';

const argv = process.argv.slice(2);

const table = epochTable();

interface Rec extends StudyRecord {
  v1: Scored | null;
  v2: Scored | null;
  acted: boolean;
  actedV2: boolean;
  seen: number;
  ahead: number;
}

function main(): void {
  const curves = studyCurves().filter((c) => table[c.id]);
  const missing = Object.keys(table).filter((id) => !curves.some((c) => c.id === id));
  if (missing.length) console.log(`not in a poolable split: ${missing.join(', ')}`);
  // each family's median drop over its complete curves (the source of V2's leave-one-family-out prior)
  const famDrops = familyDrops(curves, table);
  console.log(
    `families with a measured drop on their complete curves: ${famDrops.size}; per family (median, % lower after a boundary): ${[
      ...famDrops,
    ]
      .map(([f, d]) => `${f} ${((1 - Math.exp(-median(d))) * 100).toFixed(1)}`)
      .join(', ')}`,
  );
  const priorWithout = (family: string) =>
    Math.max(0, median([...famDrops].filter(([f]) => f !== family).map(([, d]) => median(d))));
  const { tasks } = tasksOf(curves);
  const sp = scipyOf(tasks);
  const recs: Rec[] = [];
  for (const t of tasks) {
    const L = table[t.curve].stepsPerEpoch;
    const scenario = taskScenario(t).scenario;
    const f = fitCurve(t.x, t.y);
    const one = (p: { value: number; lower: number; upper: number } | undefined): Scored | null =>
      p && Number.isFinite(p.value) ? { value: p.value, lower: p.lower, upper: p.upper } : null;
    const before = f.ok ? one(predictCurve(f, [t.at], { scenario })[0]) : null;
    const ef = epochForecast(t.x, t.y, L, t.at, {}, f);
    const v1 = one(ef.predict([t.at], { scenario })[0]);
    const xLast = t.x[t.x.length - 1];
    const seen = boundariesBefore(xLast, L);
    const ahead = Math.max(0, boundariesBefore(t.at, L) - seen);
    // V2: in the first epoch (nothing measured) with boundaries ahead and enough points per epoch, the prior drop
    let v2 = v1,
      actedV2 = ef.plan.applies;
    const plan = epochPlan(t.x, t.y, L, t.at);
    if (!plan.applies && plan.measured === 0 && ahead > 0 && loggedWithinEpochs(t.x, L) && before) {
      const d0 = priorWithout(t.family);
      if (d0 > 0) {
        v2 = {
          value: before.value * Math.exp(-d0 * ahead),
          lower: before.lower * Math.exp(-2 * d0 * ahead),
          upper: before.upper,
        };
        actedV2 = true;
      }
    }
    recs.push({
      ...recordOf(t, sp, { scenario, legacy: null, product: before }),
      v1,
      v2,
      acted: ef.plan.applies,
      actedV2,
      seen,
      ahead,
    });
    if (argv.includes('--verbose'))
      console.log(
        `  ${t.id.padEnd(52)} L ${L.toFixed(0).padStart(6)} seen ${seen} ahead ${ahead} ${ef.plan.applies ? `δ ${ef.plan.drop.toFixed(3)}` : '       '} truth ${t.truth.toFixed(4)} before ${before ? pct(before.value / t.truth - 1) : '—'} V1 ${v1 ? pct(v1.value / t.truth - 1) : '—'} V2 ${v2 ? pct(v2.value / t.truth - 1) : '—'}`,
      );
  }
  console.log(
    `\n${curves.length} curves with a stated epoch length (${new Set(curves.map((c) => c.family)).size} families), ${recs.length} forecasts; V1 acts on ${recs.filter((r) => r.acted).length}, V2 on ${recs.filter((r) => r.actedV2).length}`,
  );
  const groups: [string, (r: Rec) => boolean][] = [
    ['all curves with an epoch length', () => true],
    ['forecasts V1 acts on', (r) => r.acted],
    ['forecasts V2 acts on', (r) => r.actedV2],
    ['the hold-out 22 multi-epoch curves', (r) => r.split === 'holdout22'],
  ];
  console.log(
    '\n| group | cut | forecasts (V1 acts / V2 acts) | before: median / worst, coverage | V1: median / worst, coverage | V2: median / worst, coverage | scipy pow3: median, coverage | last value: median |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [name, keep] of groups)
    for (const c of CUTS) {
      const rs = recs.filter((r) => r.cut === c && keep(r));
      if (!rs.length) continue;
      const b = summarise(rs, (r) => r.product),
        a1 = summarise(rs, (r) => r.v1),
        a2 = summarise(rs, (r) => r.v2),
        p = summarise(rs, (r) => r.scipy),
        l = summarise(rs, (r) => r.last);
      console.log(
        `| ${name} | ${c * 100} % | ${rs.length} (${rs.filter((r) => r.acted).length} / ${rs.filter((r) => r.actedV2).length}) | ${pct(b.median)} / ${pct(b.worst)}, ${cov(b)} | ${pct(a1.median)} / ${pct(a1.worst)}, ${cov(a1)} | ${pct(a2.median)} / ${pct(a2.worst)}, ${cov(a2)} | ${pct(p.median)}, ${cov(p)} | ${pct(l.median)} |`,
      );
    }
  // signed log error of the forecasts each variant acts on: is "before" biased high there, and does the rule fix it?
  for (const [name, pick, keep] of [
    ['V1', (r: Rec) => r.v1, (r: Rec) => r.acted],
    ['V2', (r: Rec) => r.v2, (r: Rec) => r.actedV2],
  ] as const) {
    const rs = recs.filter(keep);
    const s = (g: (r: Rec) => Scored | null) =>
      median(rs.map((r) => (g(r) ? Math.log((g(r) as Scored).value / r.truth) : NaN)));
    console.log(
      `${name}: median signed ln(forecast / final) on the ${rs.length} forecasts it acts on: before ${s((r) => r.product).toFixed(4)}, after ${s(pick).toFixed(4)}`,
    );
  }
}

main();
