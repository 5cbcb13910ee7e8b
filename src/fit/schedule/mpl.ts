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
export const MPL_LATEX =
  'L(t) = L_0 + A\\,(S_1(t)+S_W)^{-\\alpha} - B\\sum_{k=1}^{t}(\\eta_{k-1}-\\eta_k)\\,\\Big[1-\\big(C\\,\\eta_k^{-\\gamma}S_k(t)+1\\big)^{-\\beta}\\Big]';
export const MPL_SOURCE =
  'Luo et al. 2025, "A Multi-Power Law for Loss Curve Prediction Across Learning Rate Schedules" (ICLR)';
/**
 * Box bounds of the LM fits (in peak-normalised LR units). γ's upper bound is 10, not the 3 it used to be: the
 * paper puts no bound on γ, and at 3 the bound, not the data, decided the fit — on the nine 100M runs of Luo et
 * al. jointly, LM's path crosses γ > 3 on its way to an interior optimum (γ ≈ 1.4) and, clipped at 3, stalled at
 * the iteration limit on the corner β = 10⁻³, γ = 3 with a 27 % higher objective (test/unit/fit/schedule-protocol).
 * 10 keeps η^(−γ) finite for any LR ratio above 10⁻³⁰.
 */
export const MPL_LOWER = [0, 0, 1e-3, 0, 1e-6, 1e-3, 0];
export const MPL_UPPER = [Infinity, Infinity, 3, Infinity, Infinity, 5, 10];

/**
 * Level-scaled anneal term (method 'level' in fitSchedule.ts; our extension, not in Luo et al.): an eighth
 * parameter ξ scales the loss drop by the forward area, LD(t) = B·P(t)^(−ξ)·Σ_k …, with P(t) = S1(t) + S_W.
 * ξ = 0 is the MPL; ξ = α makes the drop proportional to the reducible loss A·P^(−α). Why: the anneal
 * benefit shrinks as the loss level falls (annealing removes optimiser noise whose size follows the loss), and
 * with a constant B the 24k-step fitting runs, annealed at P ≈ 7k and ≈ 13k, extrapolate a 72k-step cosine's
 * drop too large and a constant run's power law too flat (README, schedule section). ξ ≥ 0 (lower bound): the
 * benefit of an anneal does not grow as training goes on; without the bound, fit sets with no constant-LR run
 * (25M cosine_24000 + wsdcon_9 + wsdcon_3) reach ξ ≈ −0.1, a lower in-sample objective, and then miss
 * constant_72000 by 1.06 % (0.15 % with the bound).
 */
export const MPL_LEVEL_PARAM_NAMES = [...MPL_PARAM_NAMES, 'xi'] as const;
export const MPL_LEVEL_LATEX =
  'L(t) = L_0 + A\\,P(t)^{-\\alpha} - B\\,P(t)^{-\\xi}\\sum_{k=1}^{t}(\\eta_{k-1}-\\eta_k)\\,\\Big[1-\\big(C\\,\\eta_k^{-\\gamma}S_k(t)+1\\big)^{-\\beta}\\Big],\\ P(t) = S_1(t)+S_W';
export const MPL_LEVEL_LOWER = [...MPL_LOWER, 0];
export const MPL_LEVEL_UPPER = [...MPL_UPPER, 2];

/**
 * Per-schedule precomputation: the steps where η changes, their gaps, log η and P[k−1]; and nested, aligned
 * blocks of B = 16, 128, 1024, 8192 steps. For an evaluation step t, a block whose last change is at least 8·B
 * steps back is replaced by one term: Σ gap_i · G(z̄) with z̄ built from the |gap|-weighted means of ln η_k
 * and P[k−1] (midpoint rule; G varies slowly there because S_k(t) is large and changes by ≤ 1/8 across the
 * block); the largest such block is used, so the far past costs O(log) terms and only the last 128 steps are
 * summed exactly. Blocks whose gaps change sign are never aggregated. On the published curves the error is
 * ~1e-6 relative for smooth schedules and ≤ ~1e-4 right after a sharp LR drop (checked in the tests against the
 * exact sum); a 100k-step cosine costs ~400 terms per evaluation step instead of 100k.
 */
export const BLOCK_SIZES = [16, 128, 1024, 8192] as const;
/** A block is aggregated only when its last change is ≥ nearFactor · its size before t (default 8). */
export const NEAR_FACTOR = 8;

interface BlockLevel {
  /** per change index: the block (of this level) it belongs to */
  blockOf: Int32Array;
  /** block b covers change indices [start[b], start[b+1]) */
  start: Int32Array;
  lastK: Int32Array;
  gap: Float64Array;
  lnEta: Float64Array;
  prev: Float64Array;
  exact: Uint8Array;
}

export interface MplChanges {
  k: Int32Array;
  gap: Float64Array;
  lnEta: Float64Array;
  prevPrefix: Float64Array;
  levels: BlockLevel[];
  nearFactor: number;
}

function blockLevel(
  k: Int32Array,
  gap: Float64Array,
  lnEta: Float64Array,
  prevPrefix: Float64Array,
  size: number,
  exactOnly: boolean,
): BlockLevel {
  const starts: number[] = [];
  const blockOf = new Int32Array(k.length);
  for (let i = 0; i < k.length; i++) {
    if (i === 0 || Math.floor(k[i] / size) !== Math.floor(k[i - 1] / size)) starts.push(i);
    blockOf[i] = starts.length - 1;
  }
  const nb = starts.length;
  starts.push(k.length);
  const start = Int32Array.from(starts);
  const lastK = new Int32Array(nb),
    g = new Float64Array(nb),
    le = new Float64Array(nb),
    pv = new Float64Array(nb),
    exact = new Uint8Array(nb);
  for (let b = 0; b < nb; b++) {
    let sg = 0,
      w = 0,
      sl = 0,
      sp = 0,
      pos = false,
      neg = false;
    for (let i = start[b]; i < start[b + 1]; i++) {
      const a = Math.abs(gap[i]);
      sg += gap[i];
      w += a;
      sl += a * lnEta[i];
      sp += a * prevPrefix[i];
      if (gap[i] > 0) pos = true;
      else if (gap[i] < 0) neg = true;
    }
    lastK[b] = k[start[b + 1] - 1];
    g[b] = sg;
    le[b] = w > 0 ? sl / w : 0;
    pv[b] = w > 0 ? sp / w : 0;
    exact[b] = exactOnly || (pos && neg) || !Number.isFinite(le[b]) ? 1 : 0;
  }
  return { blockOf, start, lastK, gap: g, lnEta: le, prev: pv, exact };
}

/** `exactOnly`: no aggregation at all (the exact O(t·k) sum; the 'luo2025' procedure needs it). */
export function mplChanges(s: LrSchedule, exactOnly = false, nearFactor = NEAR_FACTOR): MplChanges {
  const ks: number[] = [];
  for (let k = 1; k < s.eta.length; k++) if (s.eta[k] !== s.eta[k - 1]) ks.push(k);
  const k = Int32Array.from(ks);
  const gap = new Float64Array(k.length),
    lnEta = new Float64Array(k.length),
    prevPrefix = new Float64Array(k.length);
  for (let i = 0; i < k.length; i++) {
    gap[i] = s.eta[k[i] - 1] - s.eta[k[i]];
    lnEta[i] = s.eta[k[i]] > 0 ? Math.log(s.eta[k[i]]) : -Infinity;
    prevPrefix[i] = s.prefix[k[i] - 1];
  }
  return {
    k,
    gap,
    lnEta,
    prevPrefix,
    levels: BLOCK_SIZES.map((b) => blockLevel(k, gap, lnEta, prevPrefix, b, exactOnly)),
    nearFactor,
  };
}

/**
 * Predicted loss at each evaluation step (integers 1..T of the schedule). With `J` (row-major m×7, or m×8 when
 * `p` has the eighth parameter ξ), also writes dL/dp. `out[i]` is NaN where the step is outside the schedule.
 * With 8 parameters the anneal term is B·(P(t)/pRef)^(−ξ)·Σ… (MPL_LEVEL_*; pRef = 1 in the caller's units, the
 * fitter uses another to keep B and ξ apart).
 */
export function mplPredict(
  p: ArrayLike<number>,
  s: LrSchedule,
  ch: MplChanges,
  steps: ArrayLike<number>,
  out: Float64Array,
  J: Float64Array | null = null,
  pRef = 1,
): void {
  const [L0, A, alpha, B, C, beta, gamma] = [p[0], p[1], p[2], p[3], p[4], p[5], p[6]];
  const np = p.length > 7 ? 8 : 7;
  const xi = np === 8 ? p[7] : 0;
  const nc = ch.k.length;
  const L = ch.levels.length;
  const withJ = J !== null;
  for (let e = 0; e < steps.length; e++) {
    const t = Math.round(steps[e]);
    if (!(t >= 1 && t < s.eta.length)) {
      out[e] = NaN;
      if (J) J.fill(0, e * np, e * np + np);
      continue;
    }
    const Pt = s.prefix[t];
    const pw = Math.pow(Pt, -alpha);
    let sumG = 0,
      sumC = 0,
      sumBeta = 0,
      sumGamma = 0;
    let i = 0;
    while (i < nc && ch.k[i] <= t) {
      // one term: the largest far-enough block starting at change i, else change i itself
      let gp = ch.gap[i],
        le = ch.lnEta[i],
        prev = ch.prevPrefix[i],
        next = i + 1;
      for (let l = L - 1; l >= 0; l--) {
        const lv = ch.levels[l],
          b = lv.blockOf[i];
        if (lv.start[b] !== i || lv.exact[b] || lv.lastK[b] > t - ch.nearFactor * BLOCK_SIZES[l]) continue;
        gp = lv.gap[b];
        le = lv.lnEta[b];
        prev = lv.prev[b];
        next = lv.start[b + 1];
        break;
      }
      i = next;
      // S_k(t) = 0 (the LR is 0 from k on, e.g. a decay to exactly 0 at the last step): no progress at LR 0,
      // G(η^(−γ)·S) → G(η^(1−γ)·n) → 0 as η → 0 (γ < 1), so the term vanishes (and ∞·0 would be NaN).
      const Sk = Pt - prev;
      if (!(Sk > 0)) continue;
      const eg = Number.isFinite(le) ? Math.exp(-gamma * le) : Infinity;
      if (eg === Infinity) {
        sumG += gp;
        continue;
      }
      const z = eg * Sk;
      const u = 1 + C * z;
      const lu = Math.log(u);
      const q = Math.exp(-beta * lu);
      sumG += gp * (1 - q);
      if (withJ) {
        const dq = (beta * q) / u;
        sumC += gp * dq * z;
        sumBeta += gp * q * lu;
        sumGamma -= gp * dq * C * le * z;
      }
    }
    const lev = xi === 0 ? 1 : Math.pow(Pt / pRef, -xi);
    out[e] = L0 + A * pw - B * lev * sumG;
    if (J) {
      const o = e * np;
      J[o] = 1;
      J[o + 1] = pw;
      J[o + 2] = -A * pw * Math.log(Pt);
      J[o + 3] = -lev * sumG;
      J[o + 4] = -B * lev * sumC;
      J[o + 5] = -B * lev * sumBeta;
      J[o + 6] = -B * lev * sumGamma;
      if (np === 8) J[o + 7] = B * lev * Math.log(Pt / pRef) * sumG;
    }
  }
}
