/**
 * Compute-optimal scaling from IsoFLOP profiles (Hoffmann et al. 2022, approach 2): group runs by compute budget,
 * fit a parabola of loss vs log N per budget, take its minimum as N_opt(C), then fit log N_opt = a·log C + c.
 */
import type { SweepPointInput } from './types';

export interface IsoflopResult {
  ok: true;
  a: number;
  intercept: number;
  budgets: { C: number; Nopt: number; loss: number; n: number }[];
  warnings: string[];
}

/** Least-squares quadratic y = c0 + c1 t + c2 t². */
export function fitParabola(t: number[], y: number[]): [number, number, number] | null {
  const S = [0, 0, 0, 0, 0],
    T = [0, 0, 0];
  for (let i = 0; i < t.length; i++) {
    let p = 1;
    for (let k = 0; k < 5; k++) {
      S[k] += p;
      if (k < 3) T[k] += p * y[i];
      p *= t[i];
    }
  }
  const M = [
    [S[0], S[1], S[2]],
    [S[1], S[2], S[3]],
    [S[2], S[3], S[4]],
  ];
  const det = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const d = det(M);
  if (!(Math.abs(d) > 1e-300)) return null;
  const col = (j: number) => det(M.map((r, i) => r.map((v, k) => (k === j ? T[i] : v))));
  return [col(0) / d, col(1) / d, col(2) / d];
}

/** Budgets are matched within `relTol` (relative). Needs ≥ 3 sizes per budget and ≥ 2 budgets. Never throws. */
export function isoflopFrontier(
  points: readonly SweepPointInput[],
  relTol = 0.05,
): IsoflopResult | { ok: false; reason: string } {
  const pts = (Array.isArray(points) ? points : [])
    .filter((p) => p && p.N! > 0 && p.loss > 0 && (p.C! > 0 || p.D! > 0))
    .map((p) => ({ N: p.Neff ?? p.N!, C: p.C ?? 6 * p.N! * p.D!, loss: p.loss }))
    .sort((a, b) => a.C - b.C);
  const groups: { C: number; N: number; loss: number }[][] = [];
  for (const p of pts) {
    const g = groups[groups.length - 1];
    if (g && Math.abs(p.C / g[0].C - 1) <= relTol) g.push(p);
    else groups.push([p]);
  }
  const warnings: string[] = [],
    budgets: IsoflopResult['budgets'] = [];
  for (const g of groups) {
    if (g.length < 3) continue;
    const c = fitParabola(
      g.map((p) => Math.log(p.N)),
      g.map((p) => p.loss),
    );
    if (!c || !(c[2] > 0)) {
      warnings.push(`budget ${g[0].C.toExponential(2)}: loss vs log N is not convex, skipped`);
      continue;
    }
    const t = -c[1] / (2 * c[2]);
    const lo = Math.min(...g.map((p) => Math.log(p.N))),
      hi = Math.max(...g.map((p) => Math.log(p.N)));
    if (t < lo || t > hi)
      warnings.push(`budget ${g[0].C.toExponential(2)}: minimum outside the sampled sizes (extrapolated)`);
    const C = Math.exp(g.reduce((s, p) => s + Math.log(p.C), 0) / g.length);
    budgets.push({ C, Nopt: Math.exp(t), loss: c[0] + c[1] * t + c[2] * t * t, n: g.length });
  }
  if (budgets.length < 2)
    return { ok: false, reason: `need ≥ 2 compute budgets with ≥ 3 model sizes each (found ${budgets.length})` };
  const x = budgets.map((b) => Math.log(b.C)),
    y = budgets.map((b) => Math.log(b.Nopt));
  const mx = x.reduce((s, v) => s + v) / x.length,
    my = y.reduce((s, v) => s + v) / y.length;
  const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
  const a = x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0) / sxx;
  return { ok: true, a, intercept: my - a * mx, budgets, warnings };
}
