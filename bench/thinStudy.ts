/**
 * Issue 12, session 32: short fine-tunes early on. Session 31 measured (pooled, the product's scenario,
 * bench/scenarioStudy.ts) that fine-tunes with < 15 points before the 10 % cut have a 95 % band that covers only
 * 20/25 of their final values. The table (calibration.ts) is keyed by what the product sees — extrapolation ratio and
 * nFit — and its nFit columns are dominated by pre-training curves; the product does not know a run is a fine-tune.
 * This study records, for every non-blind corpus task (the calibration pool: dev, the LR-schedule runs, holdout …
 * holdout16; and the never-pooled hold-outs holdout17–23, never calibration data), the calibration sample
 * (curve-tasks.ts calibrationSample, the product's scenario), the band the product shows with the table in use, and
 * features the PRODUCT can compute from the prefix alone, and judges candidate rules leave-one-family-out.
 *
 * The misses (`--misses`, read before any rule was measured): of the 5 fine-tune forecasts with < 15 points that miss
 * at the 10 % cut (session 31's set: every non-blind split but holdout23), 2 are failed fits (no band covers them), 2
 * are 5-point LoRA prefixes whose forecast falls two orders of magnitude below the loss already reached (0.006 for a
 * final 0.55, 0.0001 for a final 1.0: truth ABOVE the band), 1 a full SFT memorising from 0.003 to 0.0002 (BELOW).
 *
 * Candidate rules, declared before any was measured (both act only on the group G of `steepForecast`: the forecast
 * expects more log-decline beyond the cut than the prefix has shown; every other forecast keeps its band exactly):
 *   C1 — G gets, per side, the larger of its table cell's multiplier and the family-weighted 97.5 % split-conformal
 *        quantile of the scores of the calibration forecasts in G (all ratio rows and nFit columns together; the same
 *        procedure as the table, calibration.ts); not applicable when G has fewer than MIN_CELL pool forecasts.
 *   C2 — G's upper end is at least the smoothed loss at the cut (the run learns nothing more); no constant.
 * Landing rule: pool LOFO coverage ≥ 90 % at every cut and not below today's at any cut; coverage of the fine-tunes
 * with < 15 points at 10 % higher than today (90 % is not reachable: 2 of session 31's 25 are failed fits and 1 a
 * lower-side miss outside G, so at most 22/25); median LOFO half-width of the forecasts outside G unchanged, of the
 * whole pool ≤ +10 % relative; hold-outs 17–23 coverage not lower at any cut. Both pass: the narrower median pool
 * half-width at the 10 % cut.
 *
 * Result (`--rules`, session 32): both pass, C1 vacuously — G has exactly MIN_CELL = 39 pool forecasts, so C1 applies in
 * no leave-one-family-out fold and its pool figures are today's by construction (whole pool: upper multiplier 8.75,
 * wider than C2 where both act on hold-outs 17–23). C2 was landed (calibration.ts steepForecast, predictCurve): pool
 * LOFO 292 → 293/317 at 10 %, 30 / 50 % unchanged, median half-width 28.19 % unchanged (10 %: 88.68 → 90.35 %), outside
 * G unchanged; fine-tunes < 15 points at 10 % (session 31's set) 20/25 → 22/25; hold-outs 17–23 39/44 → 40/44 at 10 %.
 *
 *   node --import tsx bench/thinStudy.ts [--cache FILE] [--misses] [--rules [--verbose]]
 *
 * `--cache FILE`: the per-task records (the fits are the slow part) are written there and read back on a re-run.
 */
import * as fs from 'node:fs';
import { POOLABLE_SPLITS, CALIBRATION_HOLDOUTS } from '../test/unit/fit/corpus';
import { CUTS, tasksOf, taskScenario, calibrationSample, type Task } from '../test/unit/fit/curve-tasks';
import { fitCurve, predictCurve } from '../src/fit/curve/fitCurve';
import {
  BAND_CALIBRATION,
  bandMultiplier,
  buildCalibration,
  MIN_CELL,
  N_EDGES,
  RATIO_EDGES,
  sideLevel,
  upperCapLog,
  weightedConformalQuantile,
  type BandCalibration,
  type CalibrationSample,
} from '../src/fit/curve/calibration';
import { studyCurves } from './scenarioStudy';

const argv = process.argv.slice(2);
const argOf = (n: string) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : undefined;
};

/** Features of a prefix the product can compute (no corpus tag), from its points and its fit. */
export interface PrefixFeatures {
  /** logged points before the cut */
  points: number;
  /** the initial loss: median of the first min(5, n/10 rounded up) points */
  y0: number;
  /** the smoothed loss at the cut (CurveFit.lastLoss) */
  lastLoss: number;
  /** the fraction of the initial loss already shed, 1 − lastLoss / y0 */
  shed: number;
  /** lastLoss / (y0 − lastLoss): how close the loss is to 0 relative to its drop so far (Infinity: no drop) */
  zeroRatio: number;
  /** ln(y0 / lastLoss): the drop so far in log */
  logDrop: number;
  /** the fit's residual SD in log (CurveFit.sigma) */
  sigma: number;
  /** sigma / logDrop: relative noise of the prefix */
  relNoise: number;
  /** robust relative noise: the median |Δ ln y| between consecutive raw points over the last half ÷ logDrop */
  rawNoise: number;
}

export function prefixFeatures(x: number[], y: number[], lastLoss: number, sigma: number): PrefixFeatures {
  const n = y.length;
  const k = Math.min(5, Math.max(1, Math.ceil(n / 10)));
  const first = [...y.slice(0, k)].sort((a, b) => a - b);
  const y0 = first[(first.length - 1) >> 1];
  const drop = y0 - lastLoss;
  const logDrop = y0 > 0 && lastLoss > 0 ? Math.log(y0 / lastLoss) : NaN;
  const half = y.slice(Math.floor(n / 2)).filter((v) => v > 0);
  const diffs: number[] = [];
  for (let i = 1; i < half.length; i++) diffs.push(Math.abs(Math.log(half[i] / half[i - 1])));
  diffs.sort((a, b) => a - b);
  const medDiff = diffs.length ? diffs[(diffs.length - 1) >> 1] : NaN;
  return {
    points: x.length,
    y0,
    lastLoss,
    shed: y0 > 0 ? 1 - lastLoss / y0 : NaN,
    zeroRatio: drop > 0 ? lastLoss / drop : Infinity,
    logDrop,
    sigma,
    relNoise: logDrop > 0 ? sigma / logDrop : Infinity,
    rawNoise: logDrop > 0 ? medDiff / logDrop : Infinity,
  };
}

export interface ThinRecord {
  id: string;
  curve: string;
  split: string;
  family: string;
  cut: number;
  truth: number;
  domain: string;
  tags: string[];
  fineTune: boolean;
  /** the product's scenario */
  scenario: string;
  /** the calibration sample (scores; Infinity written as null in JSON) */
  sample: CalibrationSample;
  /** the product's forecast and band with the table in use (null: the fit failed) */
  product: { value: number; lower: number; upper: number } | null;
  features: PrefixFeatures | null;
  /** the fit's members (laws) and epochs are not features: for the description of the misses only */
  nFit: number;
}

/** Every non-blind task, with the curve's domain and tags for the reports (never for a rule). */
export function thinRecords(cacheFile?: string): ThinRecord[] {
  if (cacheFile && fs.existsSync(cacheFile)) {
    const recs = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as ThinRecord[];
    for (const r of recs) {
      const s = r.sample as unknown as Record<string, number | null>;
      for (const k of ['score', 'up', 'down', 'overLast', 'overValue']) if (s[k] === null) s[k] = Infinity;
      if (r.features) {
        const f = r.features as unknown as Record<string, number | null>;
        for (const k of Object.keys(f)) if (f[k] === null) f[k] = Infinity;
      }
    }
    return recs;
  }
  const curves = studyCurves([...POOLABLE_SPLITS, 'schedules']);
  const byId = new Map(curves.map((c) => [c.id, c]));
  const { tasks } = tasksOf(curves);
  const out: ThinRecord[] = [];
  const t0 = Date.now();
  for (const t of tasks as Task[]) {
    const c = byId.get(t.curve)!;
    const f = fitCurve(t.x, t.y);
    const scenario = taskScenario(t).scenario;
    const sample = calibrationSample(t, f, { scenario });
    const p = f.ok ? predictCurve(f, [t.at], { scenario })[0] : null;
    const domain = c.domain ?? (t.split === 'schedules' ? 'lm-pretraining' : 'unknown');
    out.push({
      id: t.id,
      curve: t.curve,
      split: t.split ?? 'dev',
      family: t.family,
      cut: t.cut,
      truth: t.truth,
      domain,
      tags: c.tags ?? [],
      fineTune: /fine-?tun/i.test(domain),
      scenario,
      sample,
      product: p && Number.isFinite(p.value) ? { value: p.value, lower: p.lower, upper: p.upper } : null,
      features: f.ok ? prefixFeatures(t.x, t.y, f.lastLoss, f.sigma) : null,
      nFit: f.ok ? f.nFit : t.x.length,
    });
  }
  console.error(`${out.length} tasks fitted in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (cacheFile) fs.writeFileSync(cacheFile, JSON.stringify(out));
  return out;
}

/** The calibration pool's splits (dev with the LR-schedule runs, holdout … holdout16). */
export const POOL_SPLITS = new Set<string>(['dev', 'schedules', ...CALIBRATION_HOLDOUTS]);
export const inPool = (r: ThinRecord) => POOL_SPLITS.has(r.split);

const covered = (r: ThinRecord) => !!r.product && r.product.lower <= r.truth && r.truth <= r.product.upper;
const frac = (rs: ThinRecord[], ok: (r: ThinRecord) => boolean) => {
  const c = rs.filter(ok).length;
  return `${c}/${rs.length}${rs.length ? ` (${((100 * c) / rs.length).toFixed(0)} %)` : ''}`;
};
const med = (v: number[]) => {
  const a = v.filter(Number.isFinite).sort((p, q) => p - q);
  return a.length ? (a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2) : NaN;
};
const err = (r: ThinRecord) => (r.product ? Math.abs(r.product.value / r.truth - 1) : NaN);

function reproduce(recs: ThinRecord[]): void {
  // a failed fit has no features: its points are its sample's nFit (the prefix's point count when the fit fails)
  const short = (r: ThinRecord) => (r.features?.points ?? r.sample.nFit) < 15;
  for (const [title, set] of [
    [
      "session 31's set: every non-blind split but holdout23 (scored after those figures)",
      recs.filter((r) => r.split !== 'holdout23'),
    ],
    ['every non-blind split', recs],
  ] as const)
    reproduceOn(title, set, short);
}

function reproduceOn(title: string, recs: ThinRecord[], short: (r: ThinRecord) => boolean): void {
  console.log(`\n## pooled coverage of the product's band (the table in use; pool in-sample), ${title}`);
  for (const [name, pick] of [
    ['all', (_: ThinRecord) => true],
    ['< 15 points', short],
    ['>= 15 points', (r: ThinRecord) => !short(r)],
    ['fine-tunes < 15 points', (r: ThinRecord) => r.fineTune && short(r)],
    ['fine-tunes >= 15 points', (r: ThinRecord) => r.fineTune && !short(r)],
    ['others < 15 points', (r: ThinRecord) => !r.fineTune && short(r)],
  ] as const) {
    const parts = CUTS.map((c) => {
      const rs = recs.filter((r) => r.cut === c && pick(r));
      return `${c * 100} % ${frac(rs, covered)}, median error ${(100 * med(rs.map(err))).toFixed(1)} %`;
    });
    console.log(`${name}: ${parts.join('; ')}`);
  }
}

function misses(recs: ThinRecord[]): void {
  console.log('\n## fine-tune misses (every cut), product band in use');
  const f = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
  for (const r of recs.filter((q) => q.fineTune && !covered(q))) {
    const ft = r.features;
    console.log(
      `${r.id.padEnd(58)} ${r.split.padEnd(9)} pts ${String(ft?.points ?? '—').padStart(4)} nFit ${String(r.nFit).padStart(3)} R ${f(r.sample.ratio, 1)} truth ${f(r.truth, 4)} ` +
        (r.product
          ? `fc ${f(r.product.value, 4)} [${f(r.product.lower, 4)}, ${f(r.product.upper, 4)}] ${r.truth > r.product.upper ? 'ABOVE' : 'BELOW'}`
          : 'fit failed') +
        (ft
          ? ` y0 ${f(ft.y0)} last ${f(ft.lastLoss)} shed ${f(ft.shed, 2)} zeroRatio ${f(ft.zeroRatio, 2)} relNoise ${f(ft.relNoise, 2)} rawNoise ${f(ft.rawNoise, 2)}`
          : '') +
        ` tags ${r.tags.join(',')}`,
    );
  }
}

/**
 * The group the candidate rules act on, from what the product sees: a forecast beyond the data whose value lies further
 * below the smoothed loss at the cut, in log, than that loss lies below the prefix's initial loss — the forecast
 * expects more log-decline ahead than the whole prefix has shown (value · y0 < lastLoss², with a drop so far > 0).
 */
export function steepForecast(f: PrefixFeatures | null, value: number): boolean {
  if (!f || !(value > 0) || !(f.lastLoss > 0) || !Number.isFinite(f.logDrop)) return false;
  return Math.log(f.lastLoss / value) > Math.max(f.logDrop, 0);
}
export const inGroup = (r: ThinRecord) =>
  !!r.product && r.sample.ratio > 1 && steepForecast(r.features, r.product.value);

export type Rule = 'today' | 'C1' | 'C2';

/** One forecast's band under a rule, with table `cal` and, for C1, the group's multipliers. */
interface Verdict {
  inside: boolean;
  half: number;
}

function verdict(r: ThinRecord, cal: BandCalibration, rule: Rule, qG: { up: number; down: number } | null): Verdict {
  const s = r.sample;
  if (!Number.isFinite(s.score)) return { inside: false, half: NaN };
  let m = bandMultiplier(cal, s.ratio, s.nFit);
  const g = rule !== 'today' && inGroup(r);
  if (g && rule === 'C1' && qG) m = { up: Math.max(m.up, qG.up), down: Math.max(m.down, qG.down) };
  const cap = upperCapLog(cal, s.ratio);
  const lastOverValue = s.overValue - s.overLast; // ln(lastLoss / value)
  // the model's upper end, capped as predictCurve caps it (calibration.ts bandLog)
  const w = s.w ?? NaN,
    h = s.h ?? NaN;
  let hi = h + m.up * w;
  if (Number.isFinite(cap) && Number.isFinite(lastOverValue)) hi = Math.min(hi, Math.max(0, lastOverValue + cap));
  const lo = -(h + m.down * w);
  let upOk = s.up <= m.up && (s.overValue <= 0 || s.overLast <= cap);
  if (g && rule === 'C2' && Number.isFinite(lastOverValue)) {
    // C2: the upper end is at least the smoothed loss at the cut (the run learns nothing more)
    hi = Math.max(hi, lastOverValue);
    upOk = upOk || s.overLast <= 0;
  }
  return { inside: upOk && s.down <= m.down, half: Number.isFinite(hi) && Number.isFinite(lo) ? (hi - lo) / 2 : NaN };
}

/** C1's group multipliers: the family-weighted split-conformal quantile, per side, over the group's forecasts in `cal`. */
function groupQ(set: ThinRecord[]): { up: number; down: number; n: number } {
  const g = set.filter((r) => inGroup(r) && Number.isFinite(r.sample.score));
  const nf = new Map<string, number>();
  for (const r of g) nf.set(r.family, (nf.get(r.family) ?? 0) + 1);
  const wts = g.map((r) => 1 / (nf.get(r.family) ?? 1));
  const lv = sideLevel(0.95);
  return {
    up: weightedConformalQuantile(
      g.map((r) => r.sample.up),
      wts,
      lv,
    ),
    down: weightedConformalQuantile(
      g.map((r) => r.sample.down),
      wts,
      lv,
    ),
    n: g.length,
  };
}

/**
 * Every record's verdict under a rule: the pool's forecasts leave-one-family-out (table and group quantile built from
 * the other families' pool forecasts), the never-pooled hold-outs with the table and group quantile of the whole pool.
 */
export function judge(recs: ThinRecord[], rule: Rule): { v: Verdict[]; groupN: number } {
  const pool = recs.filter(inPool);
  const opts = { weighting: BAND_CALIBRATION.weighting ?? ('equal' as const) };
  const v = new Array<Verdict>(recs.length);
  const tableOf = (set: ThinRecord[]) =>
    buildCalibration(
      set.map((r) => r.sample),
      0.95,
      RATIO_EDGES,
      N_EDGES,
      opts,
    );
  const qOf = (set: ThinRecord[]) => {
    const q = groupQ(set);
    return q.n >= MIN_CELL ? q : null;
  };
  for (const fam of new Set(pool.map((r) => r.family))) {
    const rest = pool.filter((r) => r.family !== fam);
    const cal = tableOf(rest),
      qG = rule === 'C1' ? qOf(rest) : null;
    recs.forEach((r, i) => {
      if (inPool(r) && r.family === fam) v[i] = verdict(r, cal, rule, qG);
    });
  }
  const full = tableOf(pool),
    qFull = rule === 'C1' ? qOf(pool) : null;
  recs.forEach((r, i) => {
    if (!inPool(r)) v[i] = verdict(r, full, rule, qFull);
  });
  return { v, groupN: groupQ(pool).n };
}

function report(recs: ThinRecord[]): void {
  const points = (r: ThinRecord) => r.features?.points ?? r.sample.nFit;
  const ftShort = (r: ThinRecord) => r.fineTune && points(r) < 15;
  const rules: Rule[] = ['today', 'C1', 'C2'];
  const judged = rules.map((rule) => ({ rule, ...judge(recs, rule) }));
  console.log(
    `\n## rules (pool: leave-one-family-out; hold-outs 17–23: the whole pool's table); group G in the pool: ${judged[0].groupN} forecasts`,
  );
  const cov = (idx: number[], v: Verdict[]) => {
    const c = idx.filter((i) => v[i].inside).length;
    return `${c}/${idx.length}${idx.length ? ` (${((100 * c) / idx.length).toFixed(1)} %)` : ''}`;
  };
  const half = (idx: number[], v: Verdict[]) => `${(100 * med(idx.map((i) => v[i].half))).toFixed(2)} %`;
  const ids = (pick: (r: ThinRecord) => boolean) => recs.map((_, i) => i).filter((i) => pick(recs[i]));
  const groups: [string, (r: ThinRecord) => boolean][] = [
    ['pool', inPool],
    ['pool, fine-tunes < 15 points', (r) => inPool(r) && ftShort(r)],
    ['hold-outs 17–23', (r) => !inPool(r)],
    ['hold-outs 17–23, fine-tunes < 15 points', (r) => !inPool(r) && ftShort(r)],
    ['every split, fine-tunes < 15 points', ftShort],
    ['every split but holdout23, fine-tunes < 15 points', (r) => ftShort(r) && r.split !== 'holdout23'],
    ['pool, in G', (r) => inPool(r) && inGroup(r)],
    ['pool, not in G', (r) => inPool(r) && !inGroup(r)],
    ['hold-outs 17–23, in G', (r) => !inPool(r) && inGroup(r)],
  ];
  for (const [name, pick] of groups) {
    console.log(`\n### ${name}`);
    console.log('| rule | 10 % | 30 % | 50 % | all | median half-width 10 / 30 / 50 % / all |');
    console.log('|---|---|---|---|---|---|');
    for (const j of judged) {
      const byCut = CUTS.map((c) => ids((r) => pick(r) && r.cut === c));
      console.log(
        `| ${j.rule} | ${byCut.map((idx) => cov(idx, j.v)).join(' | ')} | ${cov(ids(pick), j.v)} | ${byCut.map((idx) => half(idx, j.v)).join(' / ')} / ${half(ids(pick), j.v)} |`,
      );
    }
  }
  if (argv.includes('--verbose')) {
    console.log('\n## forecasts in G');
    recs.forEach((r, i) => {
      if (!inGroup(r)) return;
      console.log(
        `${r.id.padEnd(58)} ${r.split.padEnd(9)} ${r.fineTune ? 'FT' : '  '} ${judged.map((j) => `${j.rule} ${j.v[i].inside ? 'in ' : 'OUT'} ${(100 * j.v[i].half).toFixed(0)}%`).join('  ')}`,
      );
    });
  }
}

function main(): void {
  const recs = thinRecords(argOf('--cache'));
  reproduce(recs);
  if (argv.includes('--misses')) misses(recs);
  if (argv.includes('--rules')) report(recs);
}

if (require.main === module) main();
