/**
 * Input validation shared by the sweep fits: drop non-finite / out-of-domain points with a warning, never throw.
 */
import type { SweepPointInput } from './types';

export interface PreparedNd {
  N: Float64Array;
  D: Float64Array;
  L: Float64Array;
  /** Index into the caller's array for each kept point. */
  index: Int32Array;
  groups: (string | number | undefined)[];
  warnings: string[];
}

/** N (or Neff), D (or C/(6N)) and loss per point; drops points with a missing, non-finite or non-positive value. */
export function prepareNd(points: readonly SweepPointInput[], useEffectiveN = true): PreparedNd {
  const N: number[] = [],
    D: number[] = [],
    L: number[] = [],
    index: number[] = [],
    groups: (string | number | undefined)[] = [];
  let bad = 0,
    nonPositive = 0;
  const list = Array.isArray(points) ? points : [];
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    if (!p || typeof p !== 'object') {
      bad++;
      continue;
    }
    const n = useEffectiveN && isNum(p.Neff) ? p.Neff! : p.N;
    const d = isNum(p.D) ? p.D : isNum(p.C) && isNum(n) ? p.C! / (6 * n!) : undefined;
    const l = p.loss;
    if (!isNum(n) || !isNum(d) || !isNum(l)) {
      bad++;
      continue;
    }
    if (!(n! > 0 && d! > 0 && l > 0)) {
      nonPositive++;
      continue;
    }
    N.push(n!);
    D.push(d!);
    L.push(l);
    index.push(i);
    groups.push(p.group);
  }
  const warnings: string[] = [];
  if (bad) warnings.push(`dropped ${bad} point(s) with a missing or non-finite N, D/C or loss`);
  if (nonPositive)
    warnings.push(`dropped ${nonPositive} point(s) with a non-positive N, D or loss (the law is fitted in log space)`);
  return {
    N: Float64Array.from(N),
    D: Float64Array.from(D),
    L: Float64Array.from(L),
    index: Int32Array.from(index),
    groups,
    warnings,
  };
}

export function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Indices of the `k` highest values (ties: later index first), e.g. to drop the 5 highest-loss points. */
export function indicesOfLargest(values: ArrayLike<number>, k: number): Set<number> {
  const idx = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  return new Set(idx.slice(0, Math.max(0, k)));
}

export function distinctCount(values: ArrayLike<number>, relTol = 1e-9): number {
  const s = Array.from(values).sort((a, b) => a - b);
  let c = s.length ? 1 : 0;
  for (let i = 1; i < s.length; i++) if (Math.abs(s[i] - s[i - 1]) > relTol * Math.max(Math.abs(s[i]), 1e-300)) c++;
  return c;
}
