/**
 * The learning-rate series η(s) at every integer step, reconstructed from the LR logged at sparse steps.
 *
 * Between logged steps we interpolate linearly (what a plotted log implies; exact for linear warmup/decay,
 * and within ~1e-6 relative for cosine logged every ~100 steps). Before the first logged step we assume a
 * linear warmup from η = 0 at step 0 to the first logged LR at step `warmupSteps − 1` (the
 * `torch.linspace(0, peak, W)` warmup used by Luo et al. 2025), held there until the first logged step; with
 * `warmupSteps = 0` the first logged LR is held back to step 0. After the last logged step the last LR is held.
 * Prefix sums P[t] = Σ_{τ=0..t} η_τ give every forward area S1 in O(1). Pure; never throws.
 */

export interface LrSchedule {
  /** η_s for s = 0..T */
  eta: Float64Array;
  /** P[t] = Σ_{τ=0}^{t} η_τ */
  prefix: Float64Array;
  /** number of warmup steps assumed before the first logged step (0: none) */
  warmupSteps: number;
}

export type LrResult = ({ ok: true } & LrSchedule) | { ok: false; reason: string };

export interface LrOptions {
  warmupSteps?: number;
  /** build the series up to this step (default: the last logged step) */
  endStep?: number;
}

export function buildLrSchedule(steps: ArrayLike<number>, lrs: ArrayLike<number>, opts: LrOptions = {}): LrResult {
  const ks: number[] = [],
    vs: number[] = [];
  const n = Math.min(steps?.length ?? 0, lrs?.length ?? 0);
  for (let i = 0; i < n; i++) {
    const s = steps[i],
      v = lrs[i];
    if (!Number.isFinite(s) || !Number.isFinite(v) || s < 0 || v < 0) continue;
    if (ks.length && s <= ks[ks.length - 1]) {
      if (s === ks[ks.length - 1]) {
        vs[vs.length - 1] = v;
        continue;
      }
      return { ok: false, reason: `LR steps must increase (step ${s} after ${ks[ks.length - 1]})` };
    }
    ks.push(Math.round(s));
    vs.push(v);
  }
  if (ks.length === 0) return { ok: false, reason: 'no finite, non-negative learning-rate points' };
  const W = Math.max(0, Math.floor(opts.warmupSteps ?? 0));
  if (W > 0 && ks[0] > 0) {
    if (W - 1 < ks[0]) {
      ks.unshift(0, W - 1);
      vs.unshift(0, vs[0]);
      if (W - 1 === 0) {
        ks.splice(1, 1);
        vs.splice(1, 1);
      }
    } else {
      ks.unshift(0);
      vs.unshift(0);
    }
  }
  const T = Math.max(ks[ks.length - 1], Math.floor(opts.endStep ?? 0));
  if (T > 5e7) return { ok: false, reason: `schedule too long: ${T} steps` };
  const eta = new Float64Array(T + 1);
  let j = 0;
  for (let s = 0; s <= T; s++) {
    while (j + 1 < ks.length && ks[j + 1] <= s) j++;
    if (s <= ks[0]) eta[s] = vs[0];
    else if (j + 1 >= ks.length) eta[s] = vs[vs.length - 1];
    else {
      const f = (s - ks[j]) / (ks[j + 1] - ks[j]);
      eta[s] = vs[j] + f * (vs[j + 1] - vs[j]);
    }
  }
  const prefix = new Float64Array(T + 1);
  let acc = 0;
  for (let s = 0; s <= T; s++) {
    acc += eta[s];
    prefix[s] = acc;
  }
  return { ok: true, eta, prefix, warmupSteps: W };
}
