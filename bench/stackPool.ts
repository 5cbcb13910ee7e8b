/**
 * The curve average learned from a WIDER pre-training pool (issue 12, item 1; branch i12pool): the stacking
 * experiment of bench/stackWeights.ts did not transfer from dev to the studied hold-outs because dev's
 * pre-training curves are mostly speed-run records with a steep warm-down. holdout4, holdout5 and holdout6 have
 * each been scored once blind and then studied, so they may be learned from: the pool is dev + the LR-schedule
 * runs + holdout4 + holdout5 + holdout6 (every curve cut at 10 / 30 / 50 %). holdout, holdout2 and holdout3 are
 * never read here (refused by the record loader).
 *
 * Each candidate rule is learned and judged leave-one-family-out (LOFO) over the pool: every family is forecast
 * by the rule learned on the other families. Judged per cut and scenario (as-logged, unknown) by the
 * family-weighted median |ln(forecast / final)| (median over families of each family's median) and the pooled
 * median, against today's equal weights, over the whole pool, its dev families (dev corpus + LR-schedule runs) and
 * its holdout4–6 families; the scipy bounded pow3 (bench/baselines/curve_backtest_scipy.py) on the same tasks.
 * Rules (all simple, each a handful of numbers, all simulated on records of every law's forecast, bench/stackLearn.ts):
 *   equal      today: equal weights over Occam's window (2× the best backtest score), at most 5 members
 *   perLaw     one non-negative weight per law (13 numbers), stackLearn.learnWeights
 *   bucketLaw  one per-law weight set per extrapolation-ratio bucket (≤ 2.5, ≤ 5, > 5)
 *   bucketWin  Occam's window and member cap per ratio bucket
 *   shrink     per ratio bucket, ln forecast = (1 − s)·equal + s·pow3 member, s on a grid 0…1
 *   shrink1    the same with one s for every ratio (1 number)
 *   pow3member the pow3 member always in the average (equal weights), no learning
 *
 *   node --import tsx bench/stackPool.ts [--rules equal,perLaw,...] [--json FILE] [--cap C]
 * (`--cap C`: a sensitivity run with each |ln error| capped at C in the objective, learning and judging)
 *
 * Keep criterion (stated before the run): the rule with the lowest pool LOFO objective (the learner's
 * family-weighted mean |ln error| over all cuts and both scenarios) is kept only if it beats equal weights on
 * the pool by more than 2 bootstrap SDs (families resampled) and makes the dev-family LOFO worse by no more than
 * 1 bootstrap SD at any cut (either scenario).
 */
import * as fs from 'node:fs';
import { corpusCurves, scheduleCurves, type Curve } from '../test/unit/fit/corpus';
import { tasksOf, CUTS } from '../test/unit/fit/curve-tasks';
import {
  combine,
  equalRule,
  familyObjective,
  learnWeights,
  logErr,
  unknownLn,
  type StackRecord,
  type StackRule,
} from './stackLearn';
import { records } from './stackWeights';
import { scipyCurveForecasts } from './scipyCurveForecasts';

export const POOL_SPLITS = ['dev', 'schedules', 'holdout4', 'holdout5', 'holdout6'] as const;
export type PoolSplit = (typeof POOL_SPLITS)[number];

/** extrapolation-ratio buckets (about the 50 / 30 / 10 % cuts; calibration.ts's rows above 1.5 merged) */
export const BUCKET_EDGES = [2.5, 5];
export const bucketOf = (ratio: number): number => (ratio <= BUCKET_EDGES[0] ? 0 : ratio <= BUCKET_EDGES[1] ? 1 : 2);

export type Forecast = (r: StackRecord) => number | null;

/** ln forecast of the pow3 member (null when pow3 is not backtested on the prefix or its forecast fails) */
export function pow3Ln(r: StackRecord): number | null {
  const m = r.members.find((q) => q.law === 'pow3');
  return m ? m.ln : null;
}

/**
 * Cap of each forecast's |ln error| in the objective (1: stackLearn's; `--cap C` for a sensitivity run only, the
 * keep criterion is judged at 1)
 */
export const objectiveCap = { value: 1 };

/** family-weighted mean of the capped |ln error|, both scenarios averaged (stackLearn.objective for any forecast) */
export function objectiveOf(recs: StackRecord[], f: Forecast): number {
  return familyObjective(recs, f, objectiveCap.value);
}

/** the shrink rule's forecast: (1 − s)·(equal average) + s·(pow3 member), s per ratio bucket */
export function shrinkForecast(r: StackRecord, s: number[], base: StackRule): number | null {
  const a = combine(r, base);
  const p = pow3Ln(r);
  const w = s[bucketOf(r.ratio)] ?? 0;
  if (a === null || p === null || !r.members.length || w === 0) return a;
  return (1 - w) * a + w * p;
}

/** equal weights over Occam's window with the pow3 member always in (when backtested) */
export function pow3MemberForecast(r: StackRecord, base: StackRule): number | null {
  if (!r.members.length) return combine(r, base);
  const best = r.members[0];
  const sel = [best];
  for (const m of r.members.slice(1)) {
    if (sel.length >= base.k) break;
    if (m.score <= base.window * best.score) sel.push(m);
  }
  const p = r.members.find((m) => m.law === 'pow3');
  if (p && !sel.includes(p)) sel.push(p);
  if (sel.some((m) => m.ln === null)) return null;
  return sel.reduce((a, m) => a + (m.ln as number) / sel.length, 0);
}

export const SHRINK_GRID = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
export const WINDOW_GRID = [1.25, 1.5, 2, 3, 5];
export const K_GRID = [1, 2, 3, 5, 8];

export interface LearnedRule {
  name: string;
  /** the numbers learned (for the report / a stored table) */
  params: unknown;
  forecast: Forecast;
}

/** a learner: records → rule */
export type Learner = (recs: StackRecord[], laws: string[]) => LearnedRule;

/** shrink toward pow3: each bucket's s chosen on its own records (grid, ties to the smaller s) */
export function learnShrink(recs: StackRecord[], laws: string[]): LearnedRule {
  const base = equalRule(laws);
  const s = [0, 0, 0];
  for (let b = 0; b < 3; b++) {
    const rb = recs.filter((r) => bucketOf(r.ratio) === b);
    let best = objectiveOf(rb, (r) => shrinkForecast(r, [0, 0, 0], base));
    for (const v of SHRINK_GRID) {
      const t = [0, 0, 0];
      t[b] = v;
      const o = objectiveOf(rb, (r) => shrinkForecast(r, t, base));
      if (o < best - 1e-4) {
        best = o;
        s[b] = v;
      }
    }
  }
  return { name: 'shrink', params: s, forecast: (r) => shrinkForecast(r, s, base) };
}

export const LEARNERS: Record<string, Learner> = {
  equal: (_recs, laws) => {
    const rule = equalRule(laws);
    return { name: 'equal', params: null, forecast: (r) => combine(r, rule) };
  },
  perLaw: (recs, laws) => {
    const rule = learnWeights(recs, laws, { cap: objectiveCap.value });
    return { name: 'perLaw', params: rule.weights, forecast: (r) => combine(r, rule) };
  },
  bucketLaw: (recs, laws) => {
    const rules = [0, 1, 2].map((b) =>
      learnWeights(
        recs.filter((r) => bucketOf(r.ratio) === b),
        laws,
        { cap: objectiveCap.value },
      ),
    );
    return {
      name: 'bucketLaw',
      params: rules.map((q) => q.weights),
      forecast: (r) => combine(r, rules[bucketOf(r.ratio)]),
    };
  },
  bucketWin: (recs, laws) => {
    const eq = equalRule(laws);
    const rules = [0, 1, 2].map((b) => {
      const rb = recs.filter((r) => bucketOf(r.ratio) === b);
      let best = { ...eq },
        bestObj = objectiveOf(rb, (r) => combine(r, eq));
      for (const window of WINDOW_GRID)
        for (const k of K_GRID) {
          const rule = { ...eq, window, k };
          const o = objectiveOf(rb, (r) => combine(r, rule));
          if (o < bestObj - 1e-4) {
            bestObj = o;
            best = rule;
          }
        }
      return best;
    });
    return {
      name: 'bucketWin',
      params: rules.map((q) => ({ window: q.window, k: q.k })),
      forecast: (r) => combine(r, rules[bucketOf(r.ratio)]),
    };
  },
  shrink: learnShrink,
  shrink1: (recs, laws) => {
    const base = equalRule(laws);
    let s = 0,
      best = objectiveOf(recs, (r) => combine(r, base));
    for (const v of SHRINK_GRID) {
      const o = objectiveOf(recs, (r) => shrinkForecast(r, [v, v, v], base));
      if (o < best - 1e-4) {
        best = o;
        s = v;
      }
    }
    return { name: 'shrink1', params: s, forecast: (r) => shrinkForecast(r, [s, s, s], base) };
  },
  pow3member: (_recs, laws) => {
    const rule = equalRule(laws);
    return { name: 'pow3member', params: null, forecast: (r) => pow3MemberForecast(r, rule) };
  },
};

/** every record's out-of-family forecast under a learner (LOFO over the families of `recs`) */
export function lofo(recs: StackRecord[], laws: string[], learn: Learner): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const fam of [...new Set(recs.map((r) => r.family))]) {
    const rule = learn(
      recs.filter((r) => r.family !== fam),
      laws,
    );
    for (const r of recs.filter((q) => q.family === fam)) out.set(r.id, rule.forecast(r));
  }
  return out;
}

const median = (v: number[]) => {
  const a = v.filter((q) => !Number.isNaN(q)).sort((x, y) => x - y);
  return a.length ? (a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2) : NaN;
};

/** median over families of each family's median error */
export function familyMedian(rs: StackRecord[], e: (r: StackRecord) => number, fams: string[]): number {
  return median(fams.map((f) => median(rs.filter((r) => r.family === f).map(e))));
}

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** B − A of the pool objective (objectiveOf) and its SD over 300 seeded resamples of the families */
export function bootstrapSd(recs: StackRecord[], A: Forecast, B: Forecast, reps = 300): { diff: number; sd: number } {
  const rnd = rng(12345);
  const fams = [...new Set(recs.map((r) => r.family))];
  const byFam = new Map(fams.map((f) => [f, recs.filter((r) => r.family === f)]));
  const d: number[] = [];
  for (let i = 0; i < reps; i++) {
    const sample: StackRecord[] = [];
    fams.forEach((_, j) => {
      const f = fams[Math.floor(rnd() * fams.length)];
      // a resampled family keeps its own records, renamed so that a family drawn twice counts twice
      for (const r of byFam.get(f) ?? []) sample.push({ ...r, family: `${r.family}#${j}` });
    });
    d.push(objectiveOf(sample, B) - objectiveOf(sample, A));
  }
  const m = d.reduce((x, y) => x + y, 0) / d.length;
  return {
    diff: objectiveOf(recs, B) - objectiveOf(recs, A),
    sd: Math.sqrt(d.reduce((x, y) => x + (y - m) ** 2, 0) / d.length),
  };
}

/** per cut and scenario: family-weighted median and pooled median of A, B, scipy; bootstrap SD of B − A */
export function table(
  recs: StackRecord[],
  A: Forecast,
  B: Forecast,
  S: Forecast,
): { rows: string[]; worse: { cut: number; unknown: boolean; diff: number; sd: number }[] } {
  const pct = (v: number) => (Number.isFinite(v) ? (v * 100).toFixed(2) : '—');
  const rows: string[] = [];
  const worse: { cut: number; unknown: boolean; diff: number; sd: number }[] = [];
  for (const cut of CUTS)
    for (const unk of [false, true]) {
      const rs = recs.filter((r) => r.cut === cut && r.truth > 0);
      if (!rs.length) continue;
      const err = (F: Forecast) => (r: StackRecord) => logErr(unk ? unknownLn(F(r), r.ratio) : F(r), r.truth);
      const fams = [...new Set(rs.map((r) => r.family))];
      const rnd = rng(777);
      const d: number[] = [];
      for (let i = 0; i < 300; i++) {
        const sample = fams.map(() => fams[Math.floor(rnd() * fams.length)]);
        d.push(familyMedian(rs, err(B), sample) - familyMedian(rs, err(A), sample));
      }
      const m = d.reduce((x, y) => x + y, 0) / d.length;
      const sd = Math.sqrt(d.reduce((x, y) => x + (y - m) ** 2, 0) / d.length);
      const fa = familyMedian(rs, err(A), fams),
        fb = familyMedian(rs, err(B), fams);
      worse.push({ cut, unknown: unk, diff: fb - fa, sd });
      const better = rs.filter((r) => err(B)(r) < err(A)(r) - 1e-9).length,
        wrs = rs.filter((r) => err(B)(r) > err(A)(r) + 1e-9).length;
      rows.push(
        `| ${cut * 100} % | ${unk ? 'unknown' : 'as-logged'} | ${rs.length} (${fams.length}) | ${pct(fa)} (${pct(median(rs.map(err(A))))}) | ${pct(fb)} (${pct(median(rs.map(err(B))))}) | ${pct(sd)} | ${pct(familyMedian(rs, err(S), fams))} (${pct(median(rs.map(err(S))))}) | ${better} / ${wrs} |`,
      );
    }
  return { rows, worse };
}

/** the pool's records, each tagged with its split (as `group`: 'dev' for dev + schedules, else 'h456') */
export function poolRecords(): {
  recs: StackRecord[];
  group: Map<string, 'dev' | 'h456'>;
  scipy: Map<string, number | null>;
} {
  const recs: StackRecord[] = [];
  const group = new Map<string, 'dev' | 'h456'>();
  const scipy = new Map<string, number | null>();
  for (const s of POOL_SPLITS) {
    const rs = records(s);
    for (const r of rs) {
      recs.push(r);
      group.set(r.id, s === 'dev' || s === 'schedules' ? 'dev' : 'h456');
    }
    const curves: Curve[] = s === 'schedules' ? scheduleCurves() : corpusCurves(s).filter((c) => c.split === s);
    for (const [k, v] of scipyCurveForecasts(s, tasksOf(curves).tasks)) scipy.set(k, v);
  }
  return { recs, group, scipy };
}

function main(): void {
  const argv = process.argv.slice(2);
  const argOf = (n: string) => {
    const i = argv.indexOf(n);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argOf('--cap')) objectiveCap.value = Number(argOf('--cap'));
  const { recs, group, scipy } = poolRecords();
  const laws = [...new Set(recs.flatMap((r) => r.members.map((m) => m.law)))].sort();
  const fams = new Set(recs.map((r) => r.family));
  const famsOf = (g: 'dev' | 'h456') => new Set(recs.filter((r) => group.get(r.id) === g).map((r) => r.family));
  console.log(
    `pool: ${recs.length} forecasts, ${fams.size} families (dev + schedules ${famsOf('dev').size}, holdout4–6 ${famsOf('h456').size}); laws ${laws.join(', ')}`,
  );
  const S: Forecast = (r) => {
    const v = scipy.get(r.id);
    return v !== null && v !== undefined && v > 0 ? Math.log(v) : null;
  };
  const names = (argOf('--rules') ?? Object.keys(LEARNERS).join(',')).split(',');
  const eqMap = lofo(recs, laws, LEARNERS.equal);
  const A: Forecast = (r) => eqMap.get(r.id) ?? null;
  const summary: Record<string, unknown> = {};
  for (const name of names) {
    const learner = LEARNERS[name];
    if (!learner) throw new Error(`unknown rule ${name}`);
    const t0 = Date.now();
    const m = name === 'equal' ? eqMap : lofo(recs, laws, learner);
    const B: Forecast = (r) => m.get(r.id) ?? null;
    const all = learner(recs, laws);
    const pool = bootstrapSd(recs, A, B);
    const devRecs = recs.filter((r) => group.get(r.id) === 'dev');
    const hRecs = recs.filter((r) => group.get(r.id) === 'h456');
    console.log(
      `\n## ${name} (LOFO ${((Date.now() - t0) / 1000).toFixed(1)} s); learned on the whole pool: ${JSON.stringify(all.params)}`,
    );
    console.log(
      `pool objective (family-weighted mean |ln error|, capped at ${objectiveCap.value}, both scenarios): equal ${objectiveOf(recs, A).toFixed(5)} → ${objectiveOf(recs, B).toFixed(5)} (B − A ${pool.diff.toFixed(5)} ± ${pool.sd.toFixed(5)})`,
    );
    const res: Record<string, unknown> = { params: all.params, poolDiff: pool.diff, poolSd: pool.sd };
    for (const [gname, rs] of [
      ['pool', recs],
      ['dev families', devRecs],
      ['holdout4–6 families', hRecs],
    ] as const) {
      const t = table(rs, A, B, S);
      console.log(`\n${gname}: A = equal weights, B = ${name}, LOFO; family-weighted median % (pooled median)`);
      console.log(
        '| cut | scenario | forecasts (families) | A equal | B | bootstrap SD of B − A | scipy pow3 | B better / worse |',
      );
      console.log('|---|---|---|---|---|---|---|---|');
      console.log(t.rows.join('\n'));
      res[gname] = t.worse;
    }
    const devWorse = (res['dev families'] as { diff: number; sd: number }[]).some((w) => w.diff > w.sd);
    const wins = pool.diff < -2 * pool.sd;
    console.log(
      `\nkeep criterion: pool better beyond 2 SD: ${wins}; dev families worse beyond 1 SD at some cut: ${devWorse} → ${wins && !devWorse ? 'CANDIDATE' : 'not kept'}`,
    );
    summary[name] = res;
  }
  const out = argOf('--json');
  if (out) fs.writeFileSync(out, JSON.stringify(summary, null, 1));
}

if (require.main === module) main();
