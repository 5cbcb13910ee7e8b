/**
 * Huber loss helpers, in the convention of scipy.special.huber(δ, r):
 *   huber(δ, r) = r²/2            if |r| ≤ δ
 *               = δ·(|r| − δ/2)   otherwise.
 * Hoffmann et al. 2022 (Chinchilla) and Besiroglu et al. 2024 fit log-loss residuals with δ = 1e-3.
 */

export function huber(delta: number, r: number): number {
  const a = Math.abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}

/** d huber(δ, r) / dr (the ψ function): r inside the band, ±δ outside. */
export function huberDeriv(delta: number, r: number): number {
  return r > delta ? delta : r < -delta ? -delta : r;
}

/** huber(δ, r), or plain least squares r²/2 when δ ≤ 0 (the fitters' "δ = 0 turns Huber off"). */
export function huberOrSquared(delta: number, r: number): number {
  return delta > 0 ? huber(delta, r) : 0.5 * r * r;
}

/** d huberOrSquared(δ, r) / dr. */
export function huberOrSquaredDeriv(delta: number, r: number): number {
  return delta > 0 ? huberDeriv(delta, r) : r;
}

/** Iteratively-reweighted-least-squares weight ψ(r)/r of huber(δ, ·): 1 inside the band, δ/|r| outside. */
export function huberWeight(delta: number, r: number): number {
  const a = Math.abs(r);
  return a <= delta ? 1 : delta / a;
}

/** Plain squared loss r²/2 and its derivative, for symmetry with the Huber helpers. */
export function squared(r: number): number {
  return 0.5 * r * r;
}

/** Sum of huber(δ, r_i). */
export function huberSum(delta: number, r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += huber(delta, r[i]);
  return s;
}
