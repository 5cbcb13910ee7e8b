/**
 * Stacking experiment (issue 12, item 1: "weights from held-out error (stacking)"): learns per-law prior weights
 * for the model average from the DEV curves only (corpus dev split + the shared LR-schedule runs, each cut at
 * 10/30/50 %, test/unit/fit/curve-tasks.ts) and reports the leave-one-family-out (LOFO) error against today's
 * equal weights — the honest dev estimate. The learning itself is bench/stackLearn.ts.
 *
 * Result (README, "Backtest of the curve forecasts"): the learned weights did not beat equal weights
 * leave-one-family-out on dev, nor on the studied hold-outs 4 and 5, so no weights table was generated and
 * fitCurve keeps equal weights; this script is kept to re-run the test when the corpus or the laws change (a
 * table would be written as src/fit/curve/stackWeights.ts and applied in fitCurve's assignWeights).
 *
 *   node --import tsx bench/stackWeights.ts [--min-gain G] [--window W] [--k K]   # learn, print LOFO vs equal
 *   node --import tsx bench/stackWeights.ts --eval holdout4,holdout5   # the rule learned on all dev, applied
 *   node --import tsx bench/stackWeights.ts --bic      # BIC weights over the same window, on dev
 *
 * holdout4, holdout5 and holdout6 have each been scored once blind and studied since, so they may be learned
 * from: bench/stackPool.ts learns and judges simple rules leave-one-family-out over the pool dev + schedules +
 * holdout4–6 with the records cached here (`records`, `codeHash`).
 *
 * Records (every backtested law's forecast and score per task) are cached in the OS temp folder per split and
 * code version of the fit (the hash of src/fit/curve/*.ts except the weights file).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { corpusCurves, scheduleCurves, type Curve } from '../test/unit/fit/corpus';
import { tasksOf, CUTS } from '../test/unit/fit/curve-tasks';
import {
  combine,
  combineBic,
  learnWeights,
  lofoForecasts,
  logErr,
  normalise,
  objective,
  recordOf,
  unknownLn,
  equalRule,
  type StackRecord,
} from './stackLearn';

const argv = process.argv.slice(2);
const argOf = (n: string) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : undefined;
};

export function codeHash(): string {
  const dir = path.join(__dirname, '..', 'src', 'fit', 'curve');
  const h = crypto.createHash('sha1');
  const walk = (d: string) => {
    for (const n of fs.readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.ts') && n !== 'stackWeights.ts' && n !== 'calibration.ts') h.update(fs.readFileSync(p));
    }
  };
  walk(dir);
  h.update(fs.readFileSync(path.join(__dirname, 'stackLearn.ts')));
  return h.digest('hex').slice(0, 12);
}

/** every backtested law's forecast of the final loss, per task of the split */
export function records(split: 'dev' | 'schedules' | 'holdout4' | 'holdout5' | 'holdout6'): StackRecord[] {
  const cache = path.join(os.tmpdir(), `sl-stack-${split}-${codeHash()}.json`);
  if (fs.existsSync(cache)) return JSON.parse(fs.readFileSync(cache, 'utf8')) as StackRecord[];
  const curves: Curve[] =
    split === 'schedules' ? scheduleCurves() : corpusCurves(split).filter((c) => c.split === split);
  const { tasks } = tasksOf(curves);
  const out = tasks.map(recordOf);
  fs.writeFileSync(cache, JSON.stringify(out));
  return out;
}

const median = (v: number[]) => {
  const a = v.filter((q) => !Number.isNaN(q)).sort((x, y) => x - y);
  return a.length ? (a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2) : NaN;
};
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : '—');
const familyMedian = (rs: StackRecord[], e: (r: StackRecord) => number, fams: string[]) =>
  median(fams.map((f) => median(rs.filter((r) => r.family === f).map(e))));

/**
 * Per cut and scenario: the family-weighted error (median over families of each family's median |ln(forecast /
 * final)|) of A → B, the SD of that difference over 300 bootstrap resamples of the families (seeded; the noise
 * a judgement of A against B must clear), the pooled medians, and how many forecasts B makes better / worse.
 */
export function compareTable(
  recs: StackRecord[],
  A: (r: StackRecord) => number | null,
  B: (r: StackRecord) => number | null,
): string[] {
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const lines = [
    '| cut | scenario | forecasts | family-weighted: A → B (bootstrap SD of B − A) | pooled median: A → B | B better / worse |',
    '|---|---|---|---|---|---|',
  ];
  for (const cut of CUTS)
    for (const unk of [false, true]) {
      const rs = recs.filter((r) => r.cut === cut && r.truth > 0);
      if (!rs.length) continue;
      const ea = (r: StackRecord) => logErr(unk ? unknownLn(A(r), r.ratio) : A(r), r.truth);
      const eb = (r: StackRecord) => logErr(unk ? unknownLn(B(r), r.ratio) : B(r), r.truth);
      const fams = [...new Set(rs.map((r) => r.family))];
      const d: number[] = [];
      for (let i = 0; i < 300; i++) {
        const sample = fams.map(() => fams[Math.floor(rnd() * fams.length)]);
        d.push(familyMedian(rs, eb, sample) - familyMedian(rs, ea, sample));
      }
      const m = d.reduce((x, y) => x + y, 0) / d.length;
      const sd = Math.sqrt(d.reduce((x, y) => x + (y - m) ** 2, 0) / d.length);
      const better = rs.filter((r) => eb(r) < ea(r) - 1e-9).length,
        worse = rs.filter((r) => eb(r) > ea(r) + 1e-9).length;
      lines.push(
        `| ${cut * 100} % | ${unk ? 'unknown' : 'as-logged'} | ${rs.length} (${fams.length} families) | ${pct(familyMedian(rs, ea, fams))} → ${pct(familyMedian(rs, eb, fams))} (±${pct(sd)}) | ${pct(median(rs.map(ea)))} → ${pct(median(rs.map(eb)))} | ${better} / ${worse} |`,
      );
    }
  return lines;
}

function main(): void {
  const dev = [...records('dev'), ...records('schedules')];
  const laws = [...new Set(dev.flatMap((r) => r.members.map((m) => m.law)))].sort();
  const equal = equalRule(laws);
  const opts = {
    window: Number(argOf('--window') ?? 2),
    k: Number(argOf('--k') ?? 5),
    passes: Number(argOf('--passes') ?? 4),
    minGain: Number(argOf('--min-gain') ?? 1e-4),
  };
  const rule = learnWeights(dev, laws, opts);
  console.log(`laws: ${laws.join(', ')}; options ${JSON.stringify(opts)}`);
  console.log(
    `learned on all dev (${dev.length} forecasts, ${new Set(dev.map((r) => r.family)).size} families): ${JSON.stringify(normalise(rule.weights))}`,
  );
  console.log(
    `objective (family-weighted mean |ln error|, capped at 1): equal ${objective(dev, equal).toFixed(5)}, learned ${objective(dev, rule).toFixed(5)} (in-sample)`,
  );
  if (argv.includes('--bic')) {
    console.log('\ndev + LR-schedule runs: A = equal weights (today), B = BIC weights over the same window');
    console.log(
      compareTable(
        dev,
        (r) => combine(r, equal),
        (r) => combineBic(r),
      ).join('\n'),
    );
    return;
  }
  const evalSplit = argOf('--eval');
  if (evalSplit) {
    const splits = evalSplit.split(',');
    for (const s of splits)
      if (!['holdout4', 'holdout5', 'holdout6'].includes(s))
        throw new Error(`split ${s} refused (holdout4, holdout5 or holdout6 only: the other hold-outs are blind)`);
    const sets: [string, StackRecord[]][] = splits.map((s) => [s, records(s as 'holdout4')]);
    if (sets.length > 1) sets.push([splits.join(' + '), sets.flatMap(([, r]) => r)]);
    for (const [name, recs] of sets) {
      console.log(`\n${name}: A = equal weights (today), B = the weights learned on all dev`);
      console.log(
        compareTable(
          recs,
          (r) => combine(r, equal),
          (r) => combine(r, rule),
        ).join('\n'),
      );
    }
    return;
  }
  const lofo = lofoForecasts(dev, laws, opts);
  for (const [name, recs] of [
    ['dev corpus', records('dev')],
    ['LR-schedule runs', records('schedules')],
    ['dev + LR-schedule runs', dev],
  ] as const) {
    console.log(`\n${name}: A = equal weights (today), B = stacked, leave-one-family-out`);
    console.log(
      compareTable(
        recs,
        (r) => combine(r, equal),
        (r) => lofo.get(r.id) ?? null,
      ).join('\n'),
    );
  }
}

if (require.main === module) main();
