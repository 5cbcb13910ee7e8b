/**
 * Issue 12, session 31: the backtest forecasting as the product does. Before, `bench/backtest.ts` made every forecast
 * in the 'unknown' scenario (a 50/50 mix of the curve continued as logged and an LR anneal nobody logged); the editor
 * chooses the scenario with `chooseScenario` (src/fit/curve/scenario.ts) from the planned total and the logged LR.
 * This study scores both on every non-blind split (the corpus splits and the shared LR-schedule runs), per split and
 * pooled, at the 10 / 30 / 50 % cuts: median and worst relative error of the final-loss forecast and the coverage
 * of its 95 % band, next to the bounded scipy pow3 and the last value computed in the same run. "product" gives the
 * forecaster what a user's log shows at the cut (curve-tasks.ts taskScenario): the LR logged up to the cut (never
 * after it) when the curve's CSV has an LR column, and the planned total the source states; the forecast is at the
 * curve's final step. The band table is whatever BAND_CALIBRATION holds when it is run.
 *
 *   node --import tsx bench/scenarioStudy.ts [--no-scipy] [--json FILE] [--splits dev,holdout,…]
 */
import * as fs from 'node:fs';
import { corpusCurves, scheduleCurves, POOLABLE_SPLITS, type Curve, type Split } from '../test/unit/fit/corpus';
import { CUTS, tasksOf, taskScenario, type Task } from '../test/unit/fit/curve-tasks';
import { fitCurve, predictCurve } from '../src/fit/curve/fitCurve';
import { lastValueOf, median, scipyBands, type Scored } from './curveBaselines';

export type { Scored };

const argv = process.argv.slice(2);
const argOf = (n: string) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : undefined;
};

export interface StudyRecord {
  id: string;
  curve: string;
  split: string;
  family: string;
  cut: number;
  n: number;
  truth: number;
  scenario: string;
  legacy: Scored | null;
  product: Scored | null;
  scipy: Scored | null;
  last: number;
}

export function scipyOf(tasks: Task[]): Map<string, Scored | null> {
  return argv.includes('--no-scipy') ? new Map() : scipyBands(tasks);
}

export interface Summary {
  n: number;
  median: number;
  worst: number;
  covered: number;
  withBand: number;
}
/** A study record of task `t`: its identity and truth, the given forecasts, and the two baselines' (`sp`: scipyOf). */
export function recordOf(
  t: Task,
  sp: Map<string, Scored | null>,
  f: Pick<StudyRecord, 'scenario' | 'legacy' | 'product'>,
): StudyRecord {
  return {
    id: t.id,
    curve: t.curve,
    split: t.split ?? 'dev',
    family: t.family,
    cut: t.cut,
    n: t.x.length,
    truth: t.truth,
    ...f,
    scipy: sp.get(t.id) ?? null,
    last: lastValueOf(t),
  };
}

export function summarise<R extends StudyRecord>(rs: R[], pick: (r: R) => Scored | number | null | undefined): Summary {
  const errs: number[] = [];
  let covered = 0,
    withBand = 0;
  for (const r of rs) {
    const p = pick(r);
    const v = typeof p === 'number' ? p : p?.value;
    if (v === undefined || !Number.isFinite(v)) {
      withBand++; // a failed forecast is a miss
      continue;
    }
    errs.push(Math.abs(v / r.truth - 1));
    if (typeof p === 'object' && p && Number.isFinite(p.lower) && Number.isFinite(p.upper)) {
      withBand++;
      if (p.lower <= r.truth && r.truth <= p.upper) covered++;
    }
  }
  errs.sort((a, b) => a - b);
  return { n: rs.length, median: median(errs), worst: errs.length ? errs[errs.length - 1] : NaN, covered, withBand };
}
export const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : '—');
export const cov = (s: Summary) => (s.withBand ? `${s.covered}/${s.withBand} (${pct(s.covered / s.withBand)})` : '—');

/** Every non-blind curve: the poolable corpus splits and the shared LR-schedule runs (as split 'schedules'). */
export function studyCurves(splits?: string[]): Curve[] {
  const want = splits ?? [...POOLABLE_SPLITS, 'schedules'];
  return [
    ...want.filter((s) => s !== 'schedules').flatMap((s) => corpusCurves(s as Split)),
    ...(want.includes('schedules') ? scheduleCurves().map((c) => ({ ...c, split: 'schedules' as Split })) : []),
  ];
}

function main(): void {
  const curves = studyCurves(argOf('--splits')?.split(','));
  const { tasks } = tasksOf(curves);
  const t0 = Date.now();
  const recs: StudyRecord[] = [];
  const sp = scipyOf(tasks);
  for (const t of tasks) {
    const f = fitCurve(t.x, t.y);
    const ch = taskScenario(t);
    const pr = (scenario: 'unknown' | 'as-logged' | 'anneal'): Scored | null => {
      if (!f.ok) return null;
      const p = predictCurve(f, [t.at], { scenario })[0];
      return Number.isFinite(p.value) ? { value: p.value, lower: p.lower, upper: p.upper } : null;
    };
    recs.push(recordOf(t, sp, { scenario: ch.scenario, legacy: pr('unknown'), product: pr(ch.scenario) }));
  }
  console.log(`${tasks.length} forecasts of ${curves.length} curves in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const mix = new Map<string, number>();
  for (const r of recs) mix.set(`${r.cut}:${r.scenario}`, (mix.get(`${r.cut}:${r.scenario}`) ?? 0) + 1);
  console.log(
    `scenario chosen (product): ${CUTS.map((c) => `${c * 100} %: ${['unknown', 'as-logged'].map((s) => `${s} ${mix.get(`${c}:${s}`) ?? 0}`).join(', ')}`).join('; ')}`,
  );
  const splits = [...new Set(recs.map((r) => r.split))];
  console.log(
    '\n| split | cut | forecasts (changed scenario) | ours before (legacy unknown): median / worst, coverage | ours after (product scenario): median / worst, coverage | scipy pow3: median / worst, coverage | last value: median |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const s of [...splits, 'pooled']) {
    for (const c of CUTS) {
      const rs = recs.filter((r) => r.cut === c && (s === 'pooled' || r.split === s));
      if (!rs.length) continue;
      const b = summarise(rs, (r) => r.legacy),
        a = summarise(rs, (r) => r.product),
        p = summarise(rs, (r) => r.scipy),
        l = summarise(rs, (r) => r.last);
      const changed = rs.filter((r) => r.scenario !== 'unknown').length;
      console.log(
        `| ${s} | ${c * 100} % | ${rs.length} (${changed}) | ${pct(b.median)} / ${pct(b.worst)}, ${cov(b)} | ${pct(a.median)} / ${pct(a.worst)}, ${cov(a)} | ${pct(p.median)} / ${pct(p.worst)}, ${cov(p)} | ${pct(l.median)} |`,
      );
    }
  }
  const j = argOf('--json');
  if (j) fs.writeFileSync(j, JSON.stringify(recs));
}

if (require.main === module) main();
