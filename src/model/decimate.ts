/**
 * Largest-Triangle-Three-Buckets down-sampling (Steinarsson 2013, "Downsampling Time Series for Visual
 * Representation", MSc thesis, University of Iceland): keeps the first and last points and, from each of
 * `threshold − 2` equal-count buckets, the point forming the largest triangle with the previously kept point
 * and the average of the next bucket. Non-finite y values are kept (they mark divergence) and never dropped.
 * Returns indices into the input, ascending.
 */
export function lttbIndices(x: ArrayLike<number>, y: ArrayLike<number>, threshold: number): number[] {
  const n = x.length;
  if (threshold >= n || threshold < 3) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [0];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const start = Math.floor(i * every) + 1;
    const end = Math.min(Math.floor((i + 1) * every) + 1, n - 1);
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0, avgY = 0, cnt = 0;
    for (let j = nextStart; j < nextEnd; j++) if (Number.isFinite(y[j])) { avgX += x[j]; avgY += y[j]; cnt++; }
    if (cnt) { avgX /= cnt; avgY /= cnt; } else { avgX = x[nextStart] ?? x[n - 1]; avgY = y[a]; }
    let best = start, bestArea = -1, nonFinite = -1;
    for (let j = start; j < end; j++) {
      if (!Number.isFinite(y[j])) { if (nonFinite < 0) nonFinite = j; continue; }
      const area = Math.abs((x[a] - avgX) * (y[j] - y[a]) - (x[a] - x[j]) * (avgY - y[a]));
      if (area > bestArea) { bestArea = area; best = j; }
    }
    // A bucket holding a NaN/inf keeps it: a divergence must stay visible however far we zoom out.
    if (nonFinite >= 0) out.push(Math.min(nonFinite, best), Math.max(nonFinite, best));
    else out.push(best);
    a = best;
  }
  out.push(n - 1);
  return [...new Set(out)].sort((p, q) => p - q);
}

export function pick<T>(arr: ArrayLike<T>, idx: number[]): T[] {
  return idx.map((i) => arr[i]);
}
