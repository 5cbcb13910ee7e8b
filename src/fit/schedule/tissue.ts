/**
 * Scaling law with learning-rate annealing.
 * Source: Tissue, Wang, Li, Zhang et al. 2024, "Scaling Law with Learning Rate Annealing" (arXiv 2408.11029):
 *
 *   L(s) = L0 + A·S1^(−α) − C·S2,
 *   S1 = Σ_{i≤s} η_i (forward area),  S2 = Σ_{i≤s} m_i,  m_i = λ·m_{i−1} + (η_{i−1} − η_i)
 *
 * i.e. S2 = Σ_i Σ_{k≤i} (η_{k−1} − η_k)·λ^(i−k), the momentum form of the annealing area (λ ≈ 0.999 in the
 * paper; a fixed hyper-parameter here, default 0.999). Conventions: S1 includes the warmup area (as in our
 * MPL, so the two are comparable); S2 only accumulates after the warmup (the LR increase during warmup is
 * not annealing, so we start S2 after the warmup — our convention, documented here). Raw (un-normalised) η.
 * Parameters [L0, A, α, C]. Cost O(T) per λ for S2 (one pass), O(1) per evaluation step.
 */
import type { LrSchedule } from './lrSeries';

export const TISSUE_PARAM_NAMES = ['L0', 'A', 'alpha', 'C'] as const;
export const TISSUE_LATEX =
  'L(s) = L_0 + A\\,S_1^{-\\alpha} - C\\,S_2,\\; S_2 = \\sum_{i=1}^{s}\\sum_{k=1}^{i}(\\eta_{k-1}-\\eta_k)\\,\\lambda^{i-k}';
export const TISSUE_SOURCE = 'Tissue et al. 2024, "Scaling Law with Learning Rate Annealing" (arXiv 2408.11029)';
export const TISSUE_LOWER = [0, 0, 1e-3, -Infinity];
export const TISSUE_UPPER = [Infinity, Infinity, 3, Infinity];

/** S2 at every step (annealing area, momentum form), accumulated after `warmupSteps`. */
export function annealingArea(s: LrSchedule, lambda: number): Float64Array {
  const T = s.eta.length - 1;
  const S2 = new Float64Array(T + 1);
  let m = 0,
    acc = 0;
  const start = Math.max(1, s.warmupSteps);
  for (let i = 1; i <= T; i++) {
    if (i >= start) {
      m = lambda * m + (s.eta[i - 1] - s.eta[i]);
      acc += m;
    }
    S2[i] = acc;
  }
  return S2;
}

export function tissuePredict(
  p: ArrayLike<number>,
  s: LrSchedule,
  S2: Float64Array,
  steps: ArrayLike<number>,
  out: Float64Array,
  J: Float64Array | null = null,
): void {
  const [L0, A, alpha, C] = [p[0], p[1], p[2], p[3]];
  for (let e = 0; e < steps.length; e++) {
    const t = Math.round(steps[e]);
    if (!(t >= 1 && t < s.eta.length)) {
      out[e] = NaN;
      if (J) J.fill(0, e * 4, e * 4 + 4);
      continue;
    }
    const S1 = s.prefix[t];
    const pw = Math.pow(S1, -alpha);
    out[e] = L0 + A * pw - C * S2[t];
    if (J) {
      const o = e * 4;
      J[o] = 1;
      J[o + 1] = pw;
      J[o + 2] = -A * pw * Math.log(S1);
      J[o + 3] = -S2[t];
    }
  }
}
