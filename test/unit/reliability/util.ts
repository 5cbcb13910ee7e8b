/**
 * Shared helpers of the reliability suites: a seeded PRNG (so every failure reproduces from its printed seed),
 * the full/reduced size switch and small measuring tools.
 */

/** `npm run test:reliability` sets SCALING_LENS_FULL=1: full-size runs. Otherwise the reduced CI size. */
export const FULL = process.env.SCALING_LENS_FULL === '1';

/** Full size when FULL, else the reduced size. */
export function size(full: number, reduced: number): number {
  return FULL ? full : reduced;
}

/** The seed of a suite: `RELIABILITY_SEED` if set (to replay a failure), else the suite's fixed default. */
export function seedFor(defaultSeed: number): number {
  const s = process.env.RELIABILITY_SEED;
  return s !== undefined && s !== '' && Number.isFinite(Number(s)) ? Number(s) >>> 0 : defaultSeed >>> 0;
}

/** mulberry32: small, fast, good enough for fuzzing; deterministic from the seed. */
export class Rng {
  private s: number;
  constructor(readonly seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.next() * a.length)];
  }
  /** Weighted choice: [[weight, value], …]. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of choices) total += w;
    let r = this.next() * total;
    for (const [w, v] of choices) {
      if ((r -= w) < 0) return v;
    }
    return choices[choices.length - 1][1];
  }
}

/** Heap used after a full GC (needs --expose-gc; falls back to the current heap without it). */
export function heapAfterGc(): number {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
  return process.memoryUsage().heapUsed;
}

/** True when a full GC can be forced (node --expose-gc, or v8.setFlagsFromString below). */
export function enableGc(): boolean {
  if ((globalThis as { gc?: () => void }).gc) return true;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const v8 = require('node:v8') as typeof import('node:v8');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vm = require('node:vm') as typeof import('node:vm');
    v8.setFlagsFromString('--expose-gc');
    (globalThis as { gc?: () => void }).gc = vm.runInNewContext('gc') as () => void;
    return true;
  } catch {
    return false;
  }
}

export const MB = 1024 * 1024;

/** The best of `reps` wall-clock times of `fn`, in ms: preemption and GC on a busy machine only ever add time. */
export function bestMs(fn: () => void, reps = 3): number {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * A guard against super-linear work (catastrophic regex backtracking, quadratic loops) that a busy machine does not
 * fail: `prepare(size)` builds the input and returns the work. The work at `size` is timed once; only when it takes
 * more than `floorMs` are the work at `size` and at `size / 4` each timed best of 3 and compared — linear work grows
 * about 4× from one to the other, quadratic about 16×. Returns a message when the work is slow AND grows more than
 * `maxGrowth`× (a one-off stall on a loaded machine is neither), else null.
 */
export function superlinear(
  prepare: (size: number) => () => void,
  size: number,
  { floorMs = 50, maxGrowth = 8 }: { floorMs?: number; maxGrowth?: number } = {},
): string | null {
  const big = prepare(size);
  if (bestMs(big, 1) <= floorMs) return null;
  const bigMs = bestMs(big);
  if (bigMs <= floorMs) return null;
  const smallMs = bestMs(prepare(Math.floor(size / 4)));
  const growth = bigMs / Math.max(smallMs, 1e-3);
  return growth > maxGrowth
    ? `${bigMs.toFixed(0)} ms at size ${size}, ${growth.toFixed(1)}× the time at a quarter of it (linear: ~4×)`
    : null;
}
