/**
 * Compute-optimal allocation from a fitted Chinchilla law (Hoffmann et al. 2022, appendix D.2):
 * minimising E + A/N^α + B/D^β subject to C = 6ND gives
 *   N_opt(C) = G·(C/6)^a,  D_opt(C) = G⁻¹·(C/6)^b,  a = β/(α+β), b = α/(α+β),  G = (αA / (βB))^(1/(α+β)).
 */
export interface ChinchillaParams {
  A: number;
  B: number;
  E: number;
  alpha: number;
  beta: number;
}

export interface ComputeOptimal {
  ok: true;
  a: number;
  b: number;
  G: number;
  N: number[];
  D: number[];
  loss: number[];
  C: number[];
}

export function chinchillaLoss(p: ChinchillaParams, N: number, D: number): number {
  return p.E + p.A / N ** p.alpha + p.B / D ** p.beta;
}

/** Closed-form frontier at the given compute budgets (FLOP). Never throws. */
export function computeOptimalClosedForm(
  p: ChinchillaParams,
  budgets: number[],
): ComputeOptimal | { ok: false; reason: string } {
  const { A, B, alpha, beta } = p;
  if (!(A > 0 && B > 0 && alpha > 0 && beta > 0))
    return { ok: false, reason: 'compute-optimal allocation needs A, B, α, β > 0' };
  const a = beta / (alpha + beta),
    b = alpha / (alpha + beta);
  const G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta));
  const C = budgets.filter((c) => Number.isFinite(c) && c > 0);
  const N = C.map((c) => G * (c / 6) ** a),
    D = C.map((c) => (c / 6) ** b / G);
  return { ok: true, a, b, G, C, N, D, loss: N.map((n, i) => chinchillaLoss(p, n, D[i])) };
}
