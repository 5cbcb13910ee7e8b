/**
 * Our Levenberg–Marquardt (src/fit/curve/lm.ts) against `ml-levenberg-marquardt` (mljs) on the curve fits we
 * run: each curve law from each of its own data-driven starts, the same objective (½ Σ (ln ŷ − ln y)²), the
 * same bounds and iteration cap. Used by `npm run bench` (row `curve-lm-vs-mljs`) and by a unit test that uses
 * mljs as an independent oracle. mljs is a devDependency: nothing the extension ships calls it.
 */
import type {
  LevenbergMarquardtOptions,
  LevenbergMarquardtReturn,
  Data2D,
  ParameterizedFunction,
} from 'ml-levenberg-marquardt' with { 'resolution-mode': 'import' };
import { levenbergMarquardt as ours, clampInto, halfSumSquares } from '../src/fit/curve/lm';
import { logResiduals } from '../src/fit/curve/lawFit';
import type { CurveLaw, CurveData } from '../src/fit/curve/law';
import { CURVE_LAWS } from '../src/fit/curve/laws';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRevisitingCurves, readSchedule } from '../test/unit/fit/curve-data';

export interface LmSide {
  cpuMs: number;
  costs: number[];
  failures: number;
}
export interface LmComparison {
  fits: number;
  ours: LmSide;
  mljs: LmSide;
  oursBetter: number;
  mljsBetter: number;
  ties: number;
}

const BIG = 1e300; // mljs wants finite bounds

// The package is ESM-only; this file runs as CommonJS (tsx, or esbuild's bundle for the bench), which can require it.
type Mljs = (data: Data2D, fn: ParameterizedFunction, options: LevenbergMarquardtOptions) => LevenbergMarquardtReturn;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mljs = (require('ml-levenberg-marquardt') as { levenbergMarquardt: Mljs }).levenbergMarquardt;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs both optimisers from every start of every law on every curve. A failure: a non-finite final cost. */
export function compareLm(curves: CurveData[], laws: CurveLaw[], maxIter = 200): LmComparison {
  const jobs: { law: CurveLaw; d: CurveData; s: number[] }[] = [];
  for (const d of curves)
    for (const law of laws) {
      let starts: number[][] = [];
      try {
        starts = law.starts(d);
      } catch {
        /* none */
      }
      for (const s of starts) if (s.length === law.params.length && s.every(Number.isFinite)) jobs.push({ law, d, s });
    }
  const side = (): LmSide => ({ cpuMs: 0, costs: [], failures: 0 });
  const a = side(),
    b = side();
  let t = cpuMs();
  for (const { law, d, s } of jobs) {
    const m = d.x.length;
    const w = new Float64Array(m).fill(1);
    const res = ours(logResiduals(law, d, w), s, m, {
      lower: law.params.map((q) => q.lower),
      upper: law.params.map((q) => q.upper),
      maxIter,
      ftol: 1e-12,
    });
    a.costs.push(Number.isFinite(res.cost) ? res.cost : Infinity);
  }
  a.cpuMs = cpuMs() - t;
  t = cpuMs();
  for (const { law, d, s } of jobs) {
    const lower = law.params.map((q) => Math.max(q.lower, -BIG)),
      upper = law.params.map((q) => Math.min(q.upper, BIG));
    const init = Float64Array.from(s);
    clampInto(init, lower, upper);
    let cost = Infinity;
    try {
      const r = mljs(
        { x: Array.from(d.x), y: Array.from(d.y, Math.log) },
        (p: number[]) => (x: number) => Math.log(law.predict(p, x)),
        {
          initialValues: Array.from(init),
          minValues: lower,
          maxValues: upper,
          maxIterations: maxIter,
          damping: 1e-2,
          errorTolerance: 1e-12,
        },
      );
      const rr = new Float64Array(d.x.length);
      logResiduals(law, d, new Float64Array(d.x.length).fill(1))(Float64Array.from(r.parameterValues), rr, null);
      cost = halfSumSquares(rr);
    } catch {
      cost = Infinity;
    }
    b.costs.push(cost);
  }
  b.cpuMs = cpuMs() - t;
  let oursBetter = 0,
    mljsBetter = 0,
    ties = 0;
  for (let i = 0; i < jobs.length; i++) {
    const x = a.costs[i],
      y = b.costs[i];
    if (!Number.isFinite(x)) a.failures++;
    if (!Number.isFinite(y)) b.failures++;
    const tol = 1e-6 * Math.max(Math.min(x, y), 1e-12) + 1e-12;
    if (Math.abs(x - y) <= tol || (!Number.isFinite(x) && !Number.isFinite(y))) ties++;
    else if (x < y) oursBetter++;
    else mljsBetter++;
  }
  return { fits: jobs.length, ours: a, mljs: b, oursBetter, mljsBetter, ties };
}

/** The shared data's real curves: 20 revisiting_lang training prefixes and the 18 MPL loss curves. */
export function sharedCurves(dataDir: string): CurveData[] {
  const out: CurveData[] = loadRevisitingCurves(path.join(dataDir, 'learning-curves', 'revisiting_lang.csv')).map(
    (c) => ({ x: Float64Array.from(c.trainX), y: Float64Array.from(c.trainY) }),
  );
  for (const size of ['25M', '100M']) {
    const dir = path.join(dataDir, 'lr-schedules', size);
    for (const f of fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.csv'))
      .sort()) {
      const s = readSchedule(path.join(dir, f));
      out.push({ x: Float64Array.from(s.step), y: Float64Array.from(s.loss) });
    }
  }
  return out;
}

/** The bench row's comparison: every automatic curve law on every shared curve. */
export function compareLmOnSharedCurves(dataDir: string): LmComparison & { curves: number; laws: number } {
  const curves = sharedCurves(dataDir);
  return { ...compareLm(curves, [...CURVE_LAWS]), curves: curves.length, laws: CURVE_LAWS.length };
}
