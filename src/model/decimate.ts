/**
 * Largest-Triangle-Three-Buckets down-sampling (Steinarsson 2013, "Downsampling Time Series for Visual
 * Representation", MSc thesis, University of Iceland): keeps the first and last points and, from each of
 * `threshold − 2` equal-count buckets, the point forming the largest triangle with the previously kept point
 * and the average of the next bucket. Non-finite y values are kept (they mark divergence) and never dropped.
 * Returns indices into the input, ascending.
 */
export function lttbIndices(x: ArrayLike<number>, y: ArrayLike<number>, threshold: number): number[] {
  const job = new LttbJob(x, y, threshold);
  job.run(Infinity);
  return job.result();
}

/**
 * `lttbIndices` as resumable work, so a long series can be thinned in slices between event-loop turns: `run(budget)`
 * processes whole buckets until it has visited about `budget` points (a bucket's own points and the next bucket's,
 * averaged), and returns true when done. Work per call is at most `budget` plus one bucket pair
 * (≈ 2·n/threshold points). The indices are those of the one-shot call whatever the budgets.
 */
export class LttbJob {
  private readonly out: number[] = [0];
  private readonly every: number;
  private readonly buckets: number;
  private i = 0;
  private a = 0;
  private finished = false;
  /** Points visited so far (the unit `run`'s budget counts). */
  work = 0;

  constructor(
    private readonly x: ArrayLike<number>,
    private readonly y: ArrayLike<number>,
    threshold: number,
    readonly n = x.length,
  ) {
    this.buckets = threshold >= n || threshold < 3 ? -1 : threshold - 2;
    this.every = this.buckets > 0 ? (n - 2) / this.buckets : 0;
  }

  get done(): boolean {
    return this.finished;
  }

  run(budget: number): boolean {
    if (this.finished) return true;
    const { x, y, n, every, out } = this;
    if (this.buckets < 0) {
      this.finished = true;
      return true;
    }
    const stop = this.work + budget;
    let a = this.a;
    while (this.i < this.buckets && this.work < stop) {
      const i = this.i++;
      const start = Math.floor(i * every) + 1;
      const end = Math.min(Math.floor((i + 1) * every) + 1, n - 1);
      const nextStart = end;
      const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
      this.work += Math.max(0, nextEnd - nextStart) + Math.max(0, end - start);
      let avgX = 0,
        avgY = 0,
        cnt = 0;
      for (let j = nextStart; j < nextEnd; j++)
        if (Number.isFinite(y[j])) {
          avgX += x[j];
          avgY += y[j];
          cnt++;
        }
      if (cnt) {
        avgX /= cnt;
        avgY /= cnt;
      } else {
        avgX = x[nextStart] ?? x[n - 1];
        avgY = y[a];
      }
      let best = start,
        bestArea = -1,
        nonFinite = -1;
      for (let j = start; j < end; j++) {
        if (!Number.isFinite(y[j])) {
          if (nonFinite < 0) nonFinite = j;
          continue;
        }
        const area = Math.abs((x[a] - avgX) * (y[j] - y[a]) - (x[a] - x[j]) * (avgY - y[a]));
        if (area > bestArea) {
          bestArea = area;
          best = j;
        }
      }
      // A bucket holding a NaN/inf keeps it: a divergence must stay visible however far we zoom out.
      if (nonFinite >= 0) out.push(Math.min(nonFinite, best), Math.max(nonFinite, best));
      else out.push(best);
      a = best;
    }
    this.a = a;
    if (this.i >= this.buckets) {
      out.push(n - 1);
      this.finished = true;
    }
    return this.finished;
  }

  /** The kept indices, ascending (call once `run` returned true). */
  result(): number[] {
    if (this.buckets < 0) return Array.from({ length: this.n }, (_, i) => i);
    return [...new Set(this.out)].sort((p, q) => p - q);
  }
}

export function pick<T>(arr: ArrayLike<T>, idx: number[]): T[] {
  return idx.map((i) => arr[i]);
}

/** `pick` into a Float64Array (a dashboard message's column, src/protocol.ts). */
export function pickColumn(arr: ArrayLike<number>, idx: number[]): Float64Array {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = arr[idx[k]];
  return out;
}
