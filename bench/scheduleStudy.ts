/**
 * Schedule study (issue 12): does a schedule-aware law forecast the final loss of a run whose LR schedule is known
 * better than the curve forecaster's step-law average?
 *
 *   node --import tsx bench/scheduleStudy.ts [--cache FILE] [--verbose]
 *
 * Curves: the POOL — the corpus dev split, the shared LR-schedule runs (dev) and holdout … holdout8 (every scored,
 * no longer blind hold-out; holdout9 and holdout10 are never loaded). Eligible: a recorded decaying schedule (manifest
 * `schedule` cosine / linear / wsd with `planned_total_steps`, the curve ending at or before it; or, where the
 * manifest records neither — the shared LR-schedule runs — a logged LR that falls to ≤ half its peak, the planned
 * total being the last step). The planned LR is the
 * logged series when the curve has one, else synthesised from the manifest (bench/plannedSchedule.ts: warmup,
 * final ratio and WSD decay from `notes` where stated, else its documented defaults). Each eligible curve is
 * cut at 10 / 30 / 50 % of its final step (test/unit/fit/curve-tasks.ts) and its final loss forecast by:
 *  - main: `predictCurve(fitCurve(prefix), scenario 'unknown')`, as `npm run backtest`;
 *  - mpl: `forecastLiveRun` (multi-power law, MAP on the prefix, under the planned LR to the planned total), at
 *    the final step; where it fails, every candidate falls back to main.
 * Candidates, named before the study was run (at most 3):
 *  - C1 `mpl`: the MPL forecast alone;
 *  - C2 `geo`: the geometric mean of main and mpl (equal weights, nothing estimated);
 *  - C3 `lofo-w`: exp((1 − w)·ln main + w·ln mpl), w ∈ {0, 0.1, …, 1} chosen LEAVE-ONE-FAMILY-OUT: for each
 *    family, the w minimising the median |ln(forecast / final)| of the 30 % cut forecasts of all OTHER families.
 *
 * DECISION RULE (committed before the first run): adopt candidate X iff, on the pool (eligible forecasts),
 *  (a) its pooled 30 % median relative error is below main's by ≥ 0.3 points;
 *  (b) at 30 % it is worse than main (higher median) on at most 2 of the splits dev, holdout, holdout2 … holdout8
 *      that have eligible forecasts;
 *  (c) at no cut (10, 30, 50 %) is its pooled median worse than main's by > 0.3 points;
 *  (d) the band, recalibrated (`--calibrate --pool` recipe: split-conformal, LOFO) with X's forecasts in place of
 *      main's on the eligible tasks, keeps 90–99 % leave-one-family-out coverage at every cut. (d) is only
 *      computed for candidates that pass (a)–(c).
 * Among passing candidates, the smallest pooled 30 % median. If none passes, the forecaster is not changed.
 *
 * Result of the first run (README "Backtest of the curve forecasts"): no candidate passes — C2 and C3 pass (a)
 * and (b) but their 10 % cut is worse by 0.94 and 0.31 points (c); the forecaster is unchanged.
 */
import * as fs from 'node:fs';
import { corpusCurves, scheduleCurves, POOLABLE_SPLITS, type Curve } from '../test/unit/fit/corpus';
import { tasksOf, CUTS, type Task } from '../test/unit/fit/curve-tasks';
import { fitCurve, predictCurve } from '../src/fit/curve/fitCurve';
import { forecastLiveRun } from '../src/fit/schedule/forecast';
import { DECAYING, detailsFromNotes, plannedLr, stepUnit } from './plannedSchedule';
import { CORPUS_DIR } from '../test/unit/fit/corpus';
import * as path from 'node:path';
import { median } from './curveBaselines';

const argv = process.argv.slice(2);
const argOf = (n: string) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : undefined;
};

/** The pool's splits: the poolable ones (no blind hold-out) but holdout9, which this study has never loaded. */
export const POOL_SPLITS = POOLABLE_SPLITS.filter((s) => s !== 'holdout9');

interface Plan {
  T: number;
  steps: number[];
  lr: number[];
  source: 'logged' | 'manifest';
}

/** True when a logged LR series falls to at most half its peak after the peak (a decaying schedule). */
export function lrDecays(lr: number[]): boolean {
  let peak = 0,
    at = -1;
  lr.forEach((v, i) => {
    if (Number.isFinite(v) && v > peak) {
      peak = v;
      at = i;
    }
  });
  if (!(peak > 0)) return false;
  return lr.slice(at).some((v) => Number.isFinite(v) && v <= 0.5 * peak);
}

export function notesById(): Map<string, string> {
  const p = path.join(CORPUS_DIR, 'manifest.json');
  const out = new Map<string, string>();
  if (!fs.existsSync(p)) return out;
  const j = JSON.parse(fs.readFileSync(p, 'utf8')) as { curves?: { id: string; notes?: string }[] };
  for (const e of j.curves ?? []) out.set(e.id, String(e.notes ?? ''));
  return out;
}

/** The planned schedule of an eligible curve, or null (see the file comment). */
export function planOf(c: Curve, notes: Map<string, string>): Plan | null {
  const X = c.x[c.x.length - 1];
  const logged =
    c.lr && c.lr.length === c.x.length && c.lr.filter(Number.isFinite).length >= 2 && lrDecays(c.lr) ? c.lr : null;
  if (c.schedule === undefined && (c.plannedTotal === undefined || c.id.startsWith('lr-schedules/'))) {
    // the shared LR-schedule runs: full runs with the LR logged (their plannedTotal is their final step)
    if (!logged) return null;
    const k = c.x.map((_, i) => i).filter((i) => Number.isFinite(logged[i]));
    return { T: X, steps: k.map((i) => c.x[i]), lr: k.map((i) => logged[i]), source: 'logged' };
  }
  if (!c.schedule || !(DECAYING as readonly string[]).includes(c.schedule) || !c.plannedTotal) return null;
  const T = c.plannedTotal;
  if (X > 1.01 * T) return null;
  if (logged) {
    const k = c.x.map((_, i) => i).filter((i) => Number.isFinite(logged[i]));
    return { T, steps: k.map((i) => c.x[i]), lr: k.map((i) => logged[i]), source: 'logged' };
  }
  const p = plannedLr(c.schedule, T, detailsFromNotes(notes.get(c.id) ?? ''));
  return p ? { T, ...p, source: 'manifest' } : null;
}

/** LR of a knot series at step s (linear in between, held outside). */
function lrAt(steps: number[], lr: number[], s: number): number {
  if (s <= steps[0]) return lr[0];
  for (let i = 1; i < steps.length; i++)
    if (s <= steps[i]) return lr[i - 1] + ((lr[i] - lr[i - 1]) * (s - steps[i - 1])) / (steps[i] - steps[i - 1]);
  return lr[lr.length - 1];
}

/** The MPL forecast of the final loss from the task's prefix under the planned schedule (a string: why it failed). */
export function mplForecast(t: Task, plan: Plan): number | string {
  const u = stepUnit(plan.T);
  const xCut = t.x[t.x.length - 1];
  const ks = plan.steps.map((_, i) => i).filter((i) => plan.steps[i] <= xCut);
  const lrSteps = [...ks.map((i) => plan.steps[i] / u)],
    lr = [...ks.map((i) => plan.lr[i])];
  if (!lrSteps.length || lrSteps[lrSteps.length - 1] < xCut / u) {
    lrSteps.push(xCut / u);
    lr.push(lrAt(plan.steps, plan.lr, xCut));
  }
  const r = forecastLiveRun(
    { steps: t.x.map((v) => v / u), loss: t.y, lrSteps, lr, totalSteps: Math.round(plan.T / u) },
    { at: [Math.round(t.at / u)], plannedLr: { steps: plan.steps.map((v) => v / u), lr: plan.lr } },
  );
  if (!r.ok) return r.reason;
  const v = r.points[0]?.value;
  return Number.isFinite(v) && v > 0 ? v : 'no positive forecast at the final step';
}

function mainForecast(t: Task): number | null {
  const f = fitCurve(t.x, t.y);
  if (!f.ok) return null;
  const p = predictCurve(f, [t.at], { scenario: 'unknown' })[0];
  return Number.isFinite(p.value) && p.value > 0 ? p.value : null;
}

export interface Rec {
  id: string;
  family: string;
  split: string;
  cut: number;
  truth: number;
  /** the corpus domain (the shared LR-schedule runs: lm-pretraining) */
  domain: string;
  source: string;
  main: number | null;
  mpl: number | null;
  /** why the MPL forecast failed */
  mplFailure?: string;
}

/** exp((1 − w)·ln a + w·ln b) */
const blend = (a: number, b: number, w: number) => Math.exp((1 - w) * Math.log(a) + w * Math.log(b));

/**
 * The leave-one-family-out weight of C3 for `family`: the w on the grid 0, 0.1, …, 1 minimising the median
 * |ln(forecast / final)| of the 30 % cut forecasts of every other family (ties: the smaller w).
 */
export function lofoWeight(recs: Rec[], family: string): number {
  const other = recs.filter((r) => r.family !== family && r.cut === 0.3 && r.main !== null && r.mpl !== null);
  let best = 0,
    bestErr = Infinity;
  for (let k = 0; k <= 10; k++) {
    const w = k / 10;
    const e = median(other.map((r) => Math.abs(Math.log(blend(r.main!, r.mpl!, w) / r.truth))));
    if (e < bestErr - 1e-12) {
      bestErr = e;
      best = w;
    }
  }
  return best;
}

function main(): void {
  const cacheFile = argOf('--cache');
  let recs: Rec[];
  if (cacheFile && fs.existsSync(cacheFile)) recs = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Rec[];
  else {
    const notes = notesById();
    const curves = [...POOL_SPLITS.flatMap((s) => corpusCurves(s)), ...scheduleCurves()];
    const plans = new Map<string, Plan>();
    const domain = new Map(
      curves.map((c) => [c.id, c.domain ?? (c.id.startsWith('lr-schedules/') ? 'lm-pretraining' : '?')]),
    );
    for (const c of curves) {
      const p = planOf(c, notes);
      if (p) plans.set(c.id, p);
    }
    const eligible = curves.filter((c) => plans.has(c.id));
    const { tasks } = tasksOf(eligible);
    console.error(`${eligible.length} eligible curves of ${curves.length}, ${tasks.length} forecasts`);
    recs = [];
    const t0 = Date.now();
    for (const [i, t] of tasks.entries()) {
      const plan = plans.get(t.curve)!;
      const ts = Date.now();
      const m = mplForecast(t, plan);
      recs.push({
        id: t.id,
        family: t.family,
        split: t.split ?? 'dev',
        cut: t.cut,
        truth: t.truth,
        domain: domain.get(t.curve)!,
        source: plan.source,
        main: mainForecast(t),
        mpl: typeof m === 'number' ? m : null,
        ...(typeof m === 'string' ? { mplFailure: m } : {}),
      });
      if (argv.includes('--progress'))
        console.error(`${i + 1}/${tasks.length} ${t.id} ${Date.now() - ts} ms (total ${Date.now() - t0} ms)`);
    }
    if (cacheFile) fs.writeFileSync(cacheFile, JSON.stringify(recs));
  }
  const w = new Map<string, number>();
  for (const f of new Set(recs.map((r) => r.family))) w.set(f, lofoWeight(recs, f));
  type Cand = { name: string; f: (r: Rec) => number | null };
  const cands: Cand[] = [
    { name: 'main', f: (r) => r.main },
    { name: 'C1 mpl', f: (r) => r.mpl ?? r.main },
    { name: 'C2 geo', f: (r) => (r.main !== null && r.mpl !== null ? blend(r.main, r.mpl, 0.5) : r.main) },
    {
      name: 'C3 lofo-w',
      f: (r) => (r.main !== null && r.mpl !== null ? blend(r.main, r.mpl, w.get(r.family)!) : r.main),
    },
  ];
  const err = (c: Cand, r: Rec) => {
    const v = c.f(r);
    return v === null ? NaN : Math.abs(v / r.truth - 1);
  };
  const stat = (c: Cand, rs: Rec[]) => {
    const e = rs.map((r) => err(c, r));
    const fin = e.filter(Number.isFinite);
    return { med: median(e), worst: fin.length ? Math.max(...fin) : NaN, n: rs.length, failed: e.length - fin.length };
  };
  const pct = (v: number) => (Number.isFinite(v) ? (v * 100).toFixed(2) : '—');
  const splits = POOL_SPLITS.filter((s) => recs.some((r) => r.split === s));
  console.log(
    `eligible forecasts: ${recs.length} (${new Set(recs.map((r) => r.id.replace(/@[\d.]+$/, ''))).size} curves, ${new Set(recs.map((r) => r.family)).size} families); planned LR from a logged series ${recs.filter((r) => r.source === 'logged').length}, from the manifest ${recs.filter((r) => r.source === 'manifest').length}; MPL failed ${recs.filter((r) => r.mpl === null).length}, main failed ${recs.filter((r) => r.main === null).length}`,
  );
  console.log(`C3 LOFO weights w (share of MPL) by family: ${[...w].map(([f, v]) => `${f} ${v}`).join(', ')}`);
  console.log(`\n| split | cut | n | ${cands.map((c) => `${c.name}: median / worst %`).join(' | ')} |`);
  console.log(`|---|---|---|${cands.map(() => '---').join('|')}|`);
  for (const sp of [...splits, 'POOL'])
    for (const cut of CUTS) {
      const rs = recs.filter((r) => (sp === 'POOL' || r.split === sp) && r.cut === cut);
      if (!rs.length) continue;
      console.log(
        `| ${sp} | ${cut * 100} % | ${rs.length} | ${cands
          .map((c) => {
            const s = stat(c, rs);
            return `${pct(s.med)} / ${pct(s.worst)}${s.failed ? ` (${s.failed} failed)` : ''}`;
          })
          .join(' | ')} |`,
      );
    }
  // descriptive only (not part of the decision rule): the pool by domain and by where the planned LR came from
  console.log('\nPool by group (descriptive, not part of the rule):');
  const groups: [string, (r: Rec) => boolean][] = [
    ['lm-pretraining', (r) => r.domain === 'lm-pretraining'],
    ['other domains (fine-tunes, …)', (r) => r.domain !== 'lm-pretraining'],
    ['planned LR logged', (r) => r.source === 'logged'],
    ['planned LR from the manifest', (r) => r.source === 'manifest'],
  ];
  for (const [g, keep] of groups)
    for (const cut of CUTS) {
      const rs = recs.filter((r) => keep(r) && r.cut === cut);
      if (rs.length)
        console.log(
          `| ${g} | ${cut * 100} % | ${rs.length} | ${cands.map((c) => `${pct(stat(c, rs).med)} / ${pct(stat(c, rs).worst)}`).join(' | ')} |`,
        );
    }
  // decision rule (a)–(c)
  console.log('\nDecision rule (a)–(c):');
  const pooled = (c: Cand, cut: number) =>
    stat(
      c,
      recs.filter((r) => r.cut === cut),
    ).med;
  for (const c of cands.slice(1)) {
    const a = pooled(cands[0], 0.3) - pooled(c, 0.3);
    const worseSplits = splits.filter((sp) => {
      const rs = recs.filter((r) => r.split === sp && r.cut === 0.3);
      return rs.length > 0 && stat(c, rs).med > stat(cands[0], rs).med;
    });
    const cutWorse = CUTS.map((cut) => pooled(c, cut) - pooled(cands[0], cut));
    const pa = a >= 0.003,
      pb = worseSplits.length <= 2,
      pc = cutWorse.every((d) => d <= 0.003);
    console.log(
      `  ${c.name}: (a) 30 % pooled gain ${(a * 100).toFixed(2)} points ${pa ? 'PASS' : 'FAIL'}; (b) worse on ${worseSplits.length} splits [${worseSplits.join(', ')}] ${pb ? 'PASS' : 'FAIL'}; (c) pooled change by cut ${cutWorse.map((d) => (d * 100).toFixed(2)).join(' / ')} points ${pc ? 'PASS' : 'FAIL'} → ${pa && pb && pc ? 'passes (a)–(c): band check (d) needed' : 'not adopted'}`,
    );
  }
  if (argv.includes('--verbose'))
    for (const r of recs)
      console.log(
        `  ${r.split.padEnd(9)} ${r.id.padEnd(60)} truth ${r.truth.toFixed(4)} main ${r.main?.toFixed(4)} mpl ${r.mpl?.toFixed(4)}`,
      );
}

if (require.main === module) main();
