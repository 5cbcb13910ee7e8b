/**
 * Multi-power law (MPL) for the loss curve under an arbitrary LR schedule.
 * Source: Luo, Wen, Zhang, Li et al. 2025, "A Multi-Power Law for Loss Curve Prediction Across Learning
 * Rate Schedules" (ICLR 2025), eq. for L(t):
 *
 *   L(t) = L0 + A·(S1(t) + S_W)^(−α) − LD(t),
 *   LD(t) = B Σ_{k=1..t} (η_{k−1} − η_k)·G(η_k^(−γ) S_k(t)),  G(x) = 1 − (C·x + 1)^(−β),
 *   S_k(t) = Σ_{τ=k..t} η_τ,   parameters [L0, A, α, B, C, β, γ].
 *
 * Conventions, chosen so that the published parameters reproduce the published curves (checked in
 * test/unit/fit/schedule-mpl.test.ts; ~0.05–0.25 % mean relative error on all 18 curves):
 *  - η is the raw learning rate (not normalised by the peak), steps are 0-based with η_0 = 0 at the start
 *    of the linear warmup;
 *  - S1(t) + S_W is the whole forward area P[t] = Σ_{τ=0..t} η_τ (warmup area included);
 *  - the LD sum runs over *all* steps k = 1..t including the warmup, where η increases and the term is
 *    negative. (Restricting LD to post-warmup steps, as the paper's notation suggests, shifts the curves by
 *    ~3–4 %: the authors' released fitting code sums over the warmup too.)
 *
 * Cost: only steps where η changes contribute to LD. For each evaluation step t we sum over the change
 * points k ≤ t with S_k(t) = P[t] − P[k−1] from prefix sums: O(#eval points × #changes ≤ t). Under cosine
 * the LR changes every step, so a 24k-step cosine curve with 170 logged points costs ~2M terms.
 */
import type { LrSchedule } from './lrSeries';

export const MPL_PARAM_NAMES = ['L0', 'A', 'alpha', 'B', 'C', 'beta', 'gamma'] as const;
export const MPL_LATEX = 'L(t) = L_0 + A\\,(S_1(t)+S_W)^{-\\alpha} - B\\sum_{k=1}^{t}(\\eta_{k-1}-\\eta_k)\\,\\Big[1-\\big(C\\,\\eta_k^{-\\gamma}S_k(t)+1\\big)^{-\\beta}\\Big]';
export const MPL_SOURCE = 'Luo et al. 2025, "A Multi-Power Law for Loss Curve Prediction Across Learning Rate Schedules" (ICLR)';
export const MPL_LOWER = [0, 0, 1e-3, 0, 1e-6, 1e-3, 0];
export const MPL_UPPER = [Infinity, Infinity, 3, Infinity, Infinity, 5, 3];

/**
 * Per-schedule precomputation: the steps where η changes, their gaps, log η and P[k−1]; and blocks of
 * `BLOCK` consecutive steps. Far from the evaluation step t (more than `EXACT_WINDOW` steps back) the terms
 * of a block are replaced by one term: Σ gap_i · G(z̄) with z̄ built from the |gap|-weighted means of ln η_k and
 * P[k−1] (midpoint rule; G varies slowly there because S_k(t) is large and changes by < 1/8 across a block).
 * Blocks whose gaps change sign are always summed exactly. This makes a 72k-step cosine ~10× cheaper; the
 * approximation error on the published curves is ~1e-6 relative for smooth schedules and ≤ ~1e-4 right after
 * a sharp LR drop (checked in the tests against the exact sum).
 */
export const BLOCK = 64;
export const EXACT_WINDOW = 512;

export interface MplChanges {
  k: Int32Array;
  gap: Float64Array;
  lnEta: Float64Array;
  prevPrefix: Float64Array;
  /** block b covers change indices [blockStart[b], blockStart[b+1]) */
  blockStart: Int32Array;
  blockLastK: Int32Array;
  blockGap: Float64Array;
  blockLnEta: Float64Array;
  blockPrev: Float64Array;
  blockExact: Uint8Array;
}

export function mplChanges(s: LrSchedule, exactOnly = false): MplChanges {
  const ks: number[] = [];
  for (let k = 1; k < s.eta.length; k++) if (s.eta[k] !== s.eta[k - 1]) ks.push(k);
  const k = Int32Array.from(ks);
  const gap = new Float64Array(k.length), lnEta = new Float64Array(k.length), prevPrefix = new Float64Array(k.length);
  for (let i = 0; i < k.length; i++) {
    gap[i] = s.eta[k[i] - 1] - s.eta[k[i]];
    lnEta[i] = s.eta[k[i]] > 0 ? Math.log(s.eta[k[i]]) : -Infinity;
    prevPrefix[i] = s.prefix[k[i] - 1];
  }
  const starts: number[] = [];
  for (let i = 0; i < k.length; i++) if (i === 0 || Math.floor(k[i] / BLOCK) !== Math.floor(k[i - 1] / BLOCK)) starts.push(i);
  const nb = starts.length;
  starts.push(k.length);
  const blockStart = Int32Array.from(starts);
  const blockLastK = new Int32Array(nb), blockGap = new Float64Array(nb), blockLnEta = new Float64Array(nb), blockPrev = new Float64Array(nb);
  const blockExact = new Uint8Array(nb);
  for (let b = 0; b < nb; b++) {
    let g = 0, w = 0, le = 0, pp = 0, pos = false, neg = false;
    for (let i = blockStart[b]; i < blockStart[b + 1]; i++) {
      const a = Math.abs(gap[i]);
      g += gap[i]; w += a; le += a * lnEta[i]; pp += a * prevPrefix[i];
      if (gap[i] > 0) pos = true; else if (gap[i] < 0) neg = true;
    }
    blockLastK[b] = k[blockStart[b + 1] - 1];
    blockGap[b] = g;
    blockLnEta[b] = w > 0 ? le / w : 0;
    blockPrev[b] = w > 0 ? pp / w : 0;
    blockExact[b] = exactOnly || (pos && neg) || !Number.isFinite(blockLnEta[b]) ? 1 : 0;
  }
  return { k, gap, lnEta, prevPrefix, blockStart, blockLastK, blockGap, blockLnEta, blockPrev, blockExact };
}

/**
 * Predicted loss at each evaluation step (integers 1..T of the schedule). With `J` (row-major m×7), also
 * writes dL/dp. `out[i]` is NaN where the step is outside the schedule.
 */
export function mplPredict(p: ArrayLike<number>, s: LrSchedule, ch: MplChanges, steps: ArrayLike<number>, out: Float64Array, J: Float64Array | null = null): void {
  const [L0, A, alpha, B, C, beta, gamma] = [p[0], p[1], p[2], p[3], p[4], p[5], p[6]];
  const nc = ch.k.length;
  const nb = ch.blockGap.length;
  const eg = new Float64Array(nc); // η_k^(−γ)
  for (let i = 0; i < nc; i++) eg[i] = Number.isFinite(ch.lnEta[i]) ? Math.exp(-gamma * ch.lnEta[i]) : Infinity;
  const egb = new Float64Array(nb);
  for (let b = 0; b < nb; b++) egb[b] = Math.exp(-gamma * ch.blockLnEta[b]);
  for (let e = 0; e < steps.length; e++) {
    const t = Math.round(steps[e]);
    if (!(t >= 1 && t < s.eta.length)) { out[e] = NaN; if (J) J.fill(0, e * 7, e * 7 + 7); continue; }
    const Pt = s.prefix[t];
    const pw = Math.pow(Pt, -alpha);
    let sumG = 0, sumC = 0, sumBeta = 0, sumGamma = 0;
    const far = t - EXACT_WINDOW;
    const withJ = J !== null;
    for (let b = 0; b < nb; b++) {
      const i0 = ch.blockStart[b];
      if (ch.k[i0] > t) break;
      const aggregate = ch.blockLastK[b] <= far && !ch.blockExact[b];
      const i1 = aggregate ? i0 + 1 : ch.blockStart[b + 1];
      for (let i = i0; i < i1; i++) {
        if (ch.k[i] > t) break;
        // one term: the whole block (far) or one change point (near)
        const gp = aggregate ? ch.blockGap[b] : ch.gap[i];
        const le = aggregate ? ch.blockLnEta[b] : ch.lnEta[i];
        // S_k(t) = 0 (the LR is 0 from k on, e.g. a decay to exactly 0 at the last step): no progress at LR 0,
        // G(η^(−γ)·S) → G(η^(1−γ)·n) → 0 as η → 0 (γ < 1), so the term vanishes (and ∞·0 would be NaN).
        const Sk = aggregate ? Pt - ch.blockPrev[b] : Pt - ch.prevPrefix[i];
        const z = Sk > 0 ? (aggregate ? egb[b] : eg[i]) * Sk : 0;
        if (z === Infinity) { sumG += gp; continue; }
        const u = 1 + C * z;
        const lu = Math.log(u);
        const q = Math.exp(-beta * lu);
        sumG += gp * (1 - q);
        if (withJ) {
          const dq = beta * q / u;
          sumC += gp * dq * z;
          sumBeta += gp * q * lu;
          sumGamma -= gp * dq * C * le * z;
        }
      }
    }
    out[e] = L0 + A * pw - B * sumG;
    if (J) {
      const o = e * 7;
      J[o] = 1; J[o + 1] = pw; J[o + 2] = -A * pw * Math.log(Pt);
      J[o + 3] = -sumG; J[o + 4] = -B * sumC; J[o + 5] = -B * sumBeta; J[o + 6] = -B * sumGamma;
    }
  }
}
