/**
 * A forecast-time feature that tells which curve laws to trust (issue 12; branch i12feat). The stacking and
 * wider-pool experiments (bench/stackWeights.ts, bench/stackPool.ts) found that the law that extrapolates best is
 * a property of the family: speed-run records ending in a steep warm-down reward the flexible members (logpower,
 * m4, mmf, weibull, pow4), cosine and plain pre-training runs punish them (pow3, whose α prior keeps it bounded
 * like scipy's α ≤ 1, wins there), and a per-law or per-ratio-bucket weight cannot tell the two apart. This
 * script looks for a feature KNOWN AT FORECAST TIME (computed from the prefix, the horizon and what a log states)
 * that does, on the pool of bench/stackPool.ts (dev + the LR-schedule runs + holdout4 + holdout5 + holdout6, all
 * scored once blind before and studied since; holdout, holdout2, holdout3 and any later hold-out are never read).
 *
 *   node --import tsx bench/featureStudy.ts [--table] [--rules gate,gateAny] [--json FILE] [--revisiting]
 *
 * 1. Features per forecast (prefixFeatures: the prefix's points only; recordFeatures: the fit on the prefix):
 *      slopeLate    log-log slope d ln y / d ln x over the last quarter of the prefix's log-x range
 *      accel        slopeLate − slope over the quarter before it (< 0: the decline is accelerating)
 *      noise        a noise index: 1.4826·median |ln loss − its running median of 3|, last 20 % of points
 *                   (≈ 0.45 σ of white noise in ln loss; 0 on smooth evaluation curves)
 *      level        ln of the last loss (median of the last 5 % of points)
 *      nPts         number of prefix points;  lnRatio  ln(horizon ÷ last step)
 *      gap          ln(equal average) − ln(pow3 member) at the horizon (< 0: the average extrapolates more decline)
 *      spread       SD of the window members' ln forecasts
 *      extrapRatio  the slope the average extrapolates from the last point to the horizon ÷ slopeLate
 *    and, as reported but not usable by fitCurve (they are metadata of the corpus, not of the curve): whether
 *    the LR is logged and already decaying in the prefix, whether the planned total is stated, and the declared
 *    schedule (an oracle: if even the schedule name does not separate the families, no prefix feature will).
 *    Per feature tertile (`--table`): forecasts (families), how often pow3 beats the equal average, the median
 *    signed ln error of the average and of pow3, the family-weighted objective of the average and of pow3, and
 *    which member was most often closest to the final loss.
 * 2. Rules, judged leave-one-family-out (LOFO) over the pool exactly as bench/stackPool.ts judges its rules
 *    (objectiveOf: family-weighted mean |ln error| capped at 1, both scenarios; cuts 10/30/50 %):
 *      gate:<f>   a feature-gated shrink toward the pow3 member: ln = (1 − s)·average + s·pow3 where the
 *                 feature is beyond θ (one side: ≤ θ or ≥ θ), the average elsewhere; θ from the training
 *                 families' feature deciles, s on 0…1 (3 numbers: side, θ, s), learned per fold
 *      gateAny    the same with the feature also chosen inside each fold among the prefix features (honest:
 *                 the choice of feature is part of what LOFO judges)
 *      gate2:<f>  two shrinks, one per side of θ (3 numbers: θ, s below, s above)
 *    Keep rule (written before the first run, in the commit that added this script): a rule is kept only if its
 *    pooled LOFO objective beats equal weights by more than one SD of the family bootstrap (300 resamples,
 *    stackPool.bootstrapSd) AND no group (the dev families: dev corpus + LR-schedule runs; the holdout4–6
 *    families) gets worse by more than one bootstrap SD of its family-weighted median at any cut, either scenario
 *    (stackPool.table).
 *
 * Result (2026-12-03, README "Backtest of the curve forecasts"): gate2Any passed the keep rule (pool objective
 * 0.1787 → 0.1665, −0.0122 ± 0.0119; whole pool: s = 0.2 where extrapRatio ≤ 0.814, else 0.8), but implemented
 * in fitCurve it broke the revisiting_lang benchmark (`--revisiting`: mean log-RMSE 0.0134 → 0.0188, ours vs M2
 * 9/20), so it was not kept (implementation: branch i12feat-gate-reference). gate:level also passed, but is a
 * family label in disguise (see the README). fitCurve keeps equal weights.
 */
import * as fs from 'node:fs';
import { corpusCurves, scheduleCurves, type Curve } from '../test/unit/fit/corpus';
import { tasksOf, CUTS, type Task } from '../test/unit/fit/curve-tasks';
import { combine, equalRule, logErr, type StackRecord, type StackRule } from './stackLearn';
import { fitCurve } from '../src/fit/curve/fitCurve';
import { curveLawById } from '../src/fit/curve/laws/index';
import { loadRevisitingCurves } from '../test/unit/fit/curve-data';
import { records } from './stackWeights';
import { POOL_SPLITS, bootstrapSd, objectiveOf, pow3Ln, table, type Forecast } from './stackPool';

/** features computed from the prefix's points alone (x ascending, y > 0) */
export interface PrefixFeatures {
  slopeLate: number;
  accel: number;
  noise: number;
  level: number;
  nPts: number;
}

/** least-squares slope of ly on lx over the points with lx in [lo, hi] */
export function windowSlope(lx: ArrayLike<number>, ly: ArrayLike<number>, lo: number, hi: number): number {
  let n = 0;
  for (let i = 0; i < lx.length; i++) if (lx[i] >= lo && lx[i] <= hi) n++;
  if (n < 2) return NaN;
  let mx = 0,
    my = 0;
  for (let i = 0; i < lx.length; i++)
    if (lx[i] >= lo && lx[i] <= hi) {
      mx += lx[i] / n;
      my += ly[i] / n;
    }
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < lx.length; i++)
    if (lx[i] >= lo && lx[i] <= hi) {
      sxy += (lx[i] - mx) * (ly[i] - my);
      sxx += (lx[i] - mx) ** 2;
    }
  return sxx > 0 ? sxy / sxx : NaN;
}

const medianOf = (v: number[]): number => {
  const a = v.filter((q) => Number.isFinite(q)).sort((p, q) => p - q);
  return a.length ? (a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2) : NaN;
};

/**
 * Features of a prefix from its points only (pure; nothing after the last point is read). Points with x ≤ 0 or
 * y ≤ 0 or non-finite are ignored.
 */
export function prefixFeatures(x: ArrayLike<number>, y: ArrayLike<number>): PrefixFeatures {
  const lx: number[] = [],
    ly: number[] = [];
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    if (x[i] > 0 && y[i] > 0 && Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      lx.push(Math.log(x[i]));
      ly.push(Math.log(y[i]));
    }
  const n = lx.length;
  const nan = { slopeLate: NaN, accel: NaN, noise: NaN, level: NaN, nPts: n };
  if (n < 4) return nan;
  const a = lx[0],
    b = lx[n - 1];
  const slopeLate = windowSlope(lx, ly, a + 0.75 * (b - a), a + 1 * (b - a));
  const level = medianOf(ly.slice(n - Math.max(1, Math.floor(n * 0.05))));
  const slopePrev = windowSlope(lx, ly, a + 0.5 * (b - a), a + 0.75 * (b - a));
  const k = Math.max(3, Math.floor(n * 0.2));
  const tail = ly.slice(n - k);
  const res: number[] = [];
  for (let i = 1; i < tail.length - 1; i++) res.push(tail[i] - medianOf([tail[i - 1], tail[i], tail[i + 1]]));
  const noise = res.length ? 1.4826 * medianOf(res.map(Math.abs)) : NaN;
  return { slopeLate, accel: slopeLate - slopePrev, noise, level, nPts: n };
}

/** the members Occam's window takes (combine's selection, equal weights) */
function windowMembers(r: StackRecord, rule: StackRule) {
  if (!r.members.length) return [];
  const best = r.members[0];
  const sel = [best];
  for (const m of r.members.slice(1)) {
    if (sel.length >= rule.k) break;
    if (m.score <= rule.window * best.score) sel.push(m);
  }
  return sel;
}

export interface Row {
  rec: StackRecord;
  group: 'dev' | 'h456';
  f: Record<string, number>;
  /** metadata (not usable by fitCurve): LR state in the prefix, planned total stated, declared schedule */
  meta: { lr: 'none' | 'flat' | 'decaying'; planned: boolean; schedule: string };
}

/** the prefix features usable at forecast time (fitCurve sees the points and predictCurve the horizon) */
export const FEATURES = ['slopeLate', 'accel', 'noise', 'level', 'nPts', 'lnRatio', 'gap', 'spread', 'extrapRatio'];

export function recordFeatures(r: StackRecord, t: Task, laws: string[]): Record<string, number> {
  const p = prefixFeatures(t.x, t.y);
  const rule = equalRule(laws);
  const avg = combine(r, rule);
  const p3 = pow3Ln(r);
  const sel = windowMembers(r, rule).filter((m) => m.ln !== null);
  const mean = sel.reduce((s, m) => s + (m.ln as number) / sel.length, 0);
  const spread =
    sel.length > 1 ? Math.sqrt(sel.reduce((s, m) => s + ((m.ln as number) - mean) ** 2, 0) / sel.length) : 0;
  const lnRatio = Math.log(r.ratio);
  const extrap = avg !== null && lnRatio > 0 ? (avg - p.level) / lnRatio : NaN;
  return {
    ...p,
    lnRatio,
    gap: avg !== null && p3 !== null ? avg - p3 : NaN,
    spread,
    extrapRatio: p.slopeLate < 0 ? extrap / p.slopeLate : NaN,
  };
}

function lrState(lr: number[] | undefined, n: number): 'none' | 'flat' | 'decaying' {
  if (!lr || !lr.some((v) => v > 0)) return 'none';
  const pre = lr.slice(0, n).filter((v) => Number.isFinite(v));
  let peak = 0,
    at = 0;
  pre.forEach((v, i) => {
    if (v > peak) {
      peak = v;
      at = i;
    }
  });
  if (!(peak > 0)) return 'none';
  const last = pre[pre.length - 1];
  return at < pre.length - 1 && (peak - last) / peak > 0.05 ? 'decaying' : 'flat';
}

/** the pool's records with their features (records cached by bench/stackWeights.ts) */
export function poolRows(): Row[] {
  const out: Row[] = [];
  const all: { s: string; recs: StackRecord[]; tasks: Map<string, { t: Task; c: Curve }> }[] = [];
  for (const s of POOL_SPLITS) {
    const curves: Curve[] = s === 'schedules' ? scheduleCurves() : corpusCurves(s).filter((c) => c.split === s);
    const byId = new Map(curves.map((c) => [c.id, c]));
    const tasks = new Map(tasksOf(curves).tasks.map((t) => [t.id, { t, c: byId.get(t.curve) as Curve }]));
    all.push({ s, recs: records(s), tasks });
  }
  const laws = [...new Set(all.flatMap((q) => q.recs.flatMap((r) => r.members.map((m) => m.law))))].sort();
  for (const { s, recs, tasks } of all)
    for (const r of recs) {
      const q = tasks.get(r.id);
      if (!q) throw new Error(`no task for record ${r.id}: stale record cache`);
      out.push({
        rec: r,
        group: s === 'dev' || s === 'schedules' ? 'dev' : 'h456',
        f: recordFeatures(r, q.t, laws),
        meta: {
          lr: lrState(q.c.lr, q.t.x.length),
          planned: !!q.c.plannedTotal || s === 'schedules',
          schedule:
            s === 'schedules' ? `lr-schedules:${q.c.id.split('/').pop()?.split('_')[0] ?? ''}` : (q.c.schedule ?? '—'),
        },
      });
    }
  return out;
}

/** the gated shrink: (1 − s)·average + s·pow3 where the feature is on the gated side of θ */
export interface Gate {
  feature: string;
  /** 'le': gate when f ≤ θ; 'ge': when f ≥ θ */
  side: 'le' | 'ge';
  theta: number;
  /** shrink inside the gate, and outside it (gate2 only; 0 for gate) */
  sIn: number;
  sOut: number;
}

export function gatedForecast(row: Row, g: Gate, base: StackRule): number | null {
  const a = combine(row.rec, base);
  const p = pow3Ln(row.rec);
  if (a === null || p === null || !row.rec.members.length) return a;
  const v = row.f[g.feature];
  const inside = Number.isFinite(v) && (g.side === 'le' ? v <= g.theta : v >= g.theta);
  const s = inside ? g.sIn : g.sOut;
  return (1 - s) * a + s * p;
}

export const S_GRID = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** θ candidates: the deciles of the feature over the training rows */
function deciles(rows: Row[], feature: string): number[] {
  const v = rows
    .map((r) => r.f[feature])
    .filter((q) => Number.isFinite(q))
    .sort((p, q) => p - q);
  if (!v.length) return [];
  return [...new Set([1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => v[Math.floor((d / 10) * (v.length - 1))]))];
}

/**
 * Learn a gate on training rows: minimise objectiveOf (family-weighted, both scenarios) over side × θ × s
 * (two: also sOut); ties and gains below 1e-4 keep the simpler rule (no shrink).
 */
export function learnGate(rows: Row[], features: string[], base: StackRule, two = false): Gate {
  const recs = rows.map((r) => r.rec);
  const byId = new Map(rows.map((r) => [r.rec.id, r]));
  const obj = (g: Gate) => objectiveOf(recs, (rec) => gatedForecast(byId.get(rec.id) as Row, g, base));
  let best: Gate = { feature: features[0], side: 'le', theta: -Infinity, sIn: 0, sOut: 0 };
  let bestObj = obj(best);
  for (const feature of features)
    for (const theta of deciles(rows, feature))
      for (const side of ['le', 'ge'] as const)
        for (const sIn of S_GRID)
          for (const sOut of two ? S_GRID : [0]) {
            if (sIn === 0 && sOut === 0) continue;
            const g = { feature, side, theta, sIn, sOut };
            const o = obj(g);
            if (o < bestObj - 1e-4) {
              bestObj = o;
              best = g;
            }
          }
  return best;
}

const pct = (v: number) => (Number.isFinite(v) ? (v * 100).toFixed(2) : '—');

/** per feature tertile: which extrapolates better, the equal average or pow3, and which member is most often best */
function featureTable(rows: Row[], laws: string[]): void {
  const base = equalRule(laws);
  const describe = (name: string, rs: Row[]) => {
    const recs = rs.map((r) => r.rec).filter((r) => r.truth > 0);
    const fams = new Set(recs.map((r) => r.family)).size;
    const both = rs.filter((r) => r.rec.truth > 0 && combine(r.rec, base) !== null && pow3Ln(r.rec) !== null);
    const lt = (r: Row) => Math.log(r.rec.truth);
    const p3better = both.filter(
      (r) => Math.abs((pow3Ln(r.rec) as number) - lt(r)) < Math.abs((combine(r.rec, base) as number) - lt(r)),
    ).length;
    const sA = medianOf(both.map((r) => (combine(r.rec, base) as number) - lt(r)));
    const sP = medianOf(both.map((r) => (pow3Ln(r.rec) as number) - lt(r)));
    const oA = objectiveOf(recs, (r) => combine(r, base));
    const oP = objectiveOf(recs, (r) => pow3Ln(r) ?? combine(r, base));
    const wins = new Map<string, number>();
    for (const r of rs) {
      if (!(r.rec.truth > 0)) continue;
      let bl = '',
        be = Infinity;
      for (const m of r.rec.members) {
        const e = logErr(m.ln, r.rec.truth);
        if (e < be) {
          be = e;
          bl = m.law;
        }
      }
      if (bl) wins.set(bl, (wins.get(bl) ?? 0) + 1);
    }
    const top = [...wins.entries()]
      .sort((p, q) => q[1] - p[1])
      .slice(0, 3)
      .map(([l, c]) => `${l} ${c}`)
      .join(', ');
    console.log(
      `| ${name} | ${recs.length} (${fams}) | ${p3better}/${both.length} | ${pct(sA)} | ${pct(sP)} | ${pct(oA)} | ${pct(oP)} | ${top} |`,
    );
  };
  console.log(
    '| feature bucket | forecasts (families) | pow3 closer than the average | median signed ln error: average | pow3 | objective: average | pow3 | best member most often |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  describe('all', rows);
  for (const g of ['dev', 'h456'] as const)
    describe(
      `group ${g}`,
      rows.filter((r) => r.group === g),
    );
  for (const cut of CUTS)
    describe(
      `cut ${cut * 100} %`,
      rows.filter((r) => r.rec.cut === cut),
    );
  for (const f of FEATURES) {
    const v = rows
      .map((r) => r.f[f])
      .filter((q) => Number.isFinite(q))
      .sort((p, q) => p - q);
    const t1 = v[Math.floor(v.length / 3)],
      t2 = v[Math.floor((2 * v.length) / 3)];
    const fmt = (q: number) => (Math.abs(q) >= 100 ? q.toFixed(0) : q.toPrecision(3));
    // tertiles; the lowest bucket takes its ties (the noise index is 0 on every smooth curve)
    describe(
      `${f} ≤ ${fmt(t1)}`,
      rows.filter((r) => r.f[f] <= t1),
    );
    describe(
      `${f} ${fmt(t1)}…${fmt(t2)}`,
      rows.filter((r) => r.f[f] > t1 && r.f[f] < t2),
    );
    describe(
      `${f} ≥ ${fmt(t2)}`,
      rows.filter((r) => r.f[f] >= t2),
    );
  }
  for (const lr of ['none', 'flat', 'decaying'] as const)
    describe(
      `LR logged: ${lr}`,
      rows.filter((r) => r.meta.lr === lr),
    );
  for (const planned of [true, false])
    describe(
      `planned total stated: ${planned}`,
      rows.filter((r) => r.meta.planned === planned),
    );
  const scheds = [...new Set(rows.map((r) => r.meta.schedule.split(':')[0]))].sort();
  for (const s of scheds)
    describe(
      `declared schedule (oracle): ${s}`,
      rows.filter((r) => r.meta.schedule.split(':')[0] === s),
    );
}

/**
 * The learned gate on the 20 revisiting_lang curves (Alabdulmohsin et al. 2022; test/unit/fit/curve-revisiting
 * .test.ts fits the training points and scores log-RMSE on the held-out ones): every law fitted once on the
 * training points (window ∞, as the records), the equal average and the gated forecast at each target; per curve
 * log-RMSE of each. A check on published data outside the pool, not part of the learning.
 */
export function revisitingCheck(g: Gate): { key: string; equal: number; gated: number }[] {
  const out: { key: string; equal: number; gated: number }[] = [];
  for (const c of loadRevisitingCurves()) {
    const f = fitCurve(c.trainX, c.trainY, { window: Infinity, ensemble: 99 });
    if (!f.ok || !f.members.every((m) => Number.isFinite(m.holdoutLogRmse))) continue;
    const laws = [...new Set(f.members.map((m) => m.law))];
    const base = equalRule(laws);
    let se = 0,
      sg = 0;
    c.testX.forEach((at, j) => {
      const rec: StackRecord = {
        id: `${c.key}@${at}`,
        family: c.key,
        cut: NaN,
        truth: c.testY[j],
        ratio: at / f.xRange[1],
        fixed: null,
        members: f.members.map((m) => {
          const v = curveLawById(m.law)?.predict(m.params, at / f.xScale) ?? NaN;
          return { law: m.law, score: m.holdoutLogRmse, ln: v > 0 && Number.isFinite(v) ? Math.log(v) : null };
        }),
      };
      const row: Row = {
        rec,
        group: 'dev',
        f: recordFeatures(
          rec,
          { id: rec.id, curve: c.key, family: c.key, cut: NaN, x: c.trainX, y: c.trainY, at, truth: c.testY[j] },
          laws,
        ),
        meta: { lr: 'none', planned: false, schedule: '—' },
      };
      const lt = Math.log(c.testY[j]);
      se += ((combine(rec, base) ?? NaN) - lt) ** 2;
      sg += ((gatedForecast(row, g, base) ?? NaN) - lt) ** 2;
    });
    out.push({ key: c.key, equal: Math.sqrt(se / c.testX.length), gated: Math.sqrt(sg / c.testX.length) });
  }
  return out;
}

type RuleLearner = (train: Row[]) => Gate | null;

function main(): void {
  const argv = process.argv.slice(2);
  const argOf = (n: string) => {
    const i = argv.indexOf(n);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const rows = poolRows();
  const recs = rows.map((r) => r.rec);
  const laws = [...new Set(recs.flatMap((r) => r.members.map((m) => m.law)))].sort();
  const base = equalRule(laws);
  const group = new Map(rows.map((r) => [r.rec.id, r.group]));
  console.log(
    `pool: ${recs.length} forecasts, ${new Set(recs.map((r) => r.family)).size} families; features: ${FEATURES.join(', ')}`,
  );
  if (argv.includes('--table')) featureTable(rows, laws);
  const names = (argOf('--rules') ?? ['gateAny', ...FEATURES.map((f) => `gate:${f}`)].join(',')).split(',');
  const learners: Record<string, RuleLearner> = {};
  for (const n of names) {
    if (n === 'gateAny') learners[n] = (tr) => learnGate(tr, FEATURES, base);
    else if (n === 'gate2Any') learners[n] = (tr) => learnGate(tr, FEATURES, base, true);
    else if (n.startsWith('gate:')) learners[n] = (tr) => learnGate(tr, [n.slice(5)], base);
    else if (n.startsWith('gate2:')) learners[n] = (tr) => learnGate(tr, [n.slice(6)], base, true);
    else throw new Error(`unknown rule ${n}`);
  }
  const A: Forecast = (r) => combine(r, base);
  const summary: Record<string, unknown> = {};
  for (const [name, learn] of Object.entries(learners)) {
    const t0 = Date.now();
    const out = new Map<string, number | null>();
    const chosen: string[] = [];
    for (const fam of [...new Set(recs.map((r) => r.family))]) {
      const g = learn(rows.filter((r) => r.rec.family !== fam));
      if (g) chosen.push(g.sIn || g.sOut ? g.feature : 'none');
      for (const r of rows.filter((q) => q.rec.family === fam))
        out.set(r.rec.id, g ? gatedForecast(r, g, base) : A(r.rec));
    }
    const B: Forecast = (r) => out.get(r.id) ?? null;
    const whole = learn(rows);
    if (argv.includes('--revisiting') && whole) {
      const rv = revisitingCheck(whole);
      const mean = (k: 'equal' | 'gated') => rv.reduce((a, q) => a + q[k], 0) / rv.length;
      console.log(
        `revisiting_lang (${rv.length} curves, log-RMSE on the held-out points; the rule learned on the whole pool): equal ${mean('equal').toFixed(4)} → gated ${mean('gated').toFixed(4)}; gated worse on ${rv.filter((q) => q.gated > q.equal + 1e-9).length}, better on ${rv.filter((q) => q.gated < q.equal - 1e-9).length}`,
      );
      for (const q of rv)
        console.log(`  ${q.key.slice(0, 44).padEnd(44)} ${q.equal.toFixed(4)} → ${q.gated.toFixed(4)}`);
    }
    const pool = bootstrapSd(recs, A, B);
    const counts = new Map<string, number>();
    for (const c of chosen) counts.set(c, (counts.get(c) ?? 0) + 1);
    console.log(
      `\n## ${name} (LOFO ${((Date.now() - t0) / 1000).toFixed(1)} s); learned on the whole pool: ${JSON.stringify(whole)}; per fold: ${[...counts.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
    console.log(
      `pool objective: equal ${objectiveOf(recs, A).toFixed(5)} → ${objectiveOf(recs, B).toFixed(5)} (B − A ${pool.diff.toFixed(5)} ± ${pool.sd.toFixed(5)})`,
    );
    const res: Record<string, unknown> = { whole, poolDiff: pool.diff, poolSd: pool.sd };
    let groupWorse = false;
    for (const g of ['dev', 'h456'] as const) {
      const rs = recs.filter((r) => group.get(r.id) === g);
      const t = table(rs, A, B, A);
      console.log(
        `\n${g === 'dev' ? 'dev families (dev corpus + LR-schedule runs)' : 'holdout4–6 families'}: A = equal, B = ${name}, LOFO; family-weighted median % (pooled median)`,
      );
      console.log(
        '| cut | scenario | forecasts (families) | A equal | B | bootstrap SD of B − A | (A again) | B better / worse |',
      );
      console.log('|---|---|---|---|---|---|---|---|');
      console.log(t.rows.join('\n'));
      if (t.worse.some((w) => w.diff > w.sd)) groupWorse = true;
      res[g] = t.worse;
    }
    const wins = pool.diff < -pool.sd;
    console.log(
      `\nkeep rule: pool better beyond 1 SD: ${wins}; a group worse beyond 1 SD at some cut: ${groupWorse} → ${wins && !groupWorse ? 'KEEP' : 'not kept'}`,
    );
    summary[name] = res;
  }
  const out = argOf('--json');
  if (out) fs.writeFileSync(out, JSON.stringify(summary, null, 1));
}

if (require.main === module) main();
