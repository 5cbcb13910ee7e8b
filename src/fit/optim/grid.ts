/** Multi-start grids: cartesian products of per-parameter value lists. */

/** All combinations of `axes` (first axis varies slowest), as one flat Float64Array of rows. */
export function cartesian(axes: number[][]): { rows: number; dim: number; data: Float64Array } {
  const dim = axes.length;
  let rows = 1;
  for (const a of axes) rows *= a.length;
  const data = new Float64Array(rows * dim);
  const idx = new Array<number>(dim).fill(0);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < dim; k++) data[r * dim + k] = axes[k][idx[k]];
    for (let k = dim - 1; k >= 0; k--) {
      if (++idx[k] < axes[k].length) break;
      idx[k] = 0;
    }
  }
  return { rows, dim, data };
}

/** Evenly spaced values lo, lo+step, …, ≤ hi (inclusive, robust to rounding). */
export function range(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  const n = Math.floor((hi - lo) / step + 1e-9);
  for (let i = 0; i <= n; i++) out.push(lo + i * step);
  return out;
}
