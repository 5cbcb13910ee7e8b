/** Small numeric helpers for intervals (pure). */

/** Inverse of the standard normal CDF (Acklam's rational approximation, |rel. error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549671010243263, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5,
    r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** Inverse of a symmetric positive-definite n×n matrix (row-major) via Gauss–Jordan with a ridge; null if singular. */
export function invertSpd(A: ArrayLike<number>, n: number): Float64Array | null {
  const M = new Float64Array(n * 2 * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(A[i * n + i]));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) M[i * 2 * n + j] = A[i * n + j];
    M[i * 2 * n + i] += 1e-14 * maxDiag;
    M[i * 2 * n + n + i] = 1;
  }
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r * 2 * n + col]) > Math.abs(M[piv * 2 * n + col])) piv = r;
    const pv = M[piv * 2 * n + col];
    if (!(Math.abs(pv) > 0) || !Number.isFinite(pv)) return null;
    if (piv !== col)
      for (let j = 0; j < 2 * n; j++) {
        const t = M[col * 2 * n + j];
        M[col * 2 * n + j] = M[piv * 2 * n + j];
        M[piv * 2 * n + j] = t;
      }
    for (let j = 0; j < 2 * n; j++) M[col * 2 * n + j] /= pv;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = M[r * 2 * n + col];
      if (f === 0) continue;
      for (let j = 0; j < 2 * n; j++) M[r * 2 * n + j] -= f * M[col * 2 * n + j];
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = M[i * 2 * n + n + j];
  return out.every(Number.isFinite) ? out : null;
}
