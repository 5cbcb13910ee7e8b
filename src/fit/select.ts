/**
 * Validation and model selection for one-input sweep laws: backtest (fit on the smaller scales, predict the held-out
 * larger ones, log-RMSE) and, without a holdout, AIC/BIC from the Gaussian log-likelihood of the log residuals.
 */
import type { SweepPointInput } from './types';
import { fitSweep, type SweepOptions } from './sweep';
import { SWEEP_LAWS } from './sweep';

export interface Candidate {
  law: string;
  heldOutLogRmse?: number;
  aic?: number;
  bic?: number;
  ok: boolean;
  reason?: string;
}
export interface Selection {
  ok: boolean;
  chosen?: string;
  candidates: Candidate[];
  explanation: string;
}

function xOf(p: SweepPointInput): number | undefined {
  return p.x ?? p.C ?? p.N;
}

/** Fit on the points with the smallest x (1 − holdout fraction), report log-RMSE on the rest. */
export function backtest(
  points: readonly SweepPointInput[],
  law: string,
  holdoutFraction = 0.25,
  opts: SweepOptions = {},
): Candidate {
  const pts = points
    .filter((p) => p && Number.isFinite(xOf(p)) && p.loss > 0)
    .slice()
    .sort((a, b) => xOf(a)! - xOf(b)!);
  const k = Math.max(1, Math.round(pts.length * holdoutFraction));
  const train = pts.slice(0, pts.length - k),
    test = pts.slice(pts.length - k);
  const fit = fitSweep(train, { ...opts, law });
  if (!fit.ok) return { law, ok: false, reason: fit.reason };
  const l = SWEEP_LAWS.find((q) => q.id === law)!;
  let s = 0;
  for (const p of test) s += (Math.log(p.loss) - Math.log(l.predict(fit.raw, [xOf(p)!]))) ** 2;
  return { law, ok: true, heldOutLogRmse: Math.sqrt(s / test.length) };
}

/** AIC/BIC from n·log(RSS/n) + penalty (Gaussian errors on log residuals). */
export function informationCriteria(
  points: readonly SweepPointInput[],
  law: string,
  opts: SweepOptions = {},
): Candidate {
  const fit = fitSweep(points, { ...opts, law });
  if (!fit.ok) return { law, ok: false, reason: fit.reason };
  const n = fit.n,
    k = fit.paramNames.length,
    rss = Math.max(fit.rmse * fit.rmse * n, 1e-300);
  return { law, ok: true, aic: n * Math.log(rss / n) + 2 * k, bic: n * Math.log(rss / n) + k * Math.log(n) };
}

/**
 * Points a law needs before automatic selection considers it: the broken power law (BNSL) with one break from 12
 * points and with two breaks from 20 (their backtest trains on 75 % of the points: ≥ 1.5 points per parameter).
 * Laws not listed need no more than their fit does.
 */
export const AUTO_MIN_POINTS: Readonly<Record<string, number>> = { bnsl1: 12, bnsl2: 20 };

/** Default candidates: the saturating and pure power laws, plus the broken power laws when there are enough points. */
export function defaultCandidates(n: number): string[] {
  return ['saturating-power', 'pure-power', 'bnsl1', 'bnsl2'].filter((id) => n >= (AUTO_MIN_POINTS[id] ?? 0));
}

/** Choose among one-input laws by held-out error (≥ 8 points) or AIC; never throws. */
export function selectLaw(points: readonly SweepPointInput[], laws?: string[], opts: SweepOptions = {}): Selection {
  try {
    if (!laws) laws = defaultCandidates(Array.isArray(points) ? points.length : 0);
    const useHoldout = points.length >= 8;
    const cands = laws.map((l) =>
      useHoldout ? backtest(points, l, 0.25, opts) : informationCriteria(points, l, opts),
    );
    const score = (c: Candidate) => (useHoldout ? c.heldOutLogRmse! : c.aic!);
    const good = cands.filter((c) => c.ok && Number.isFinite(score(c))).sort((a, b) => score(a) - score(b));
    if (!good.length) return { ok: false, candidates: cands, explanation: 'no candidate law could be fitted' };
    const name = (id: string) => SWEEP_LAWS.find((l) => l.id === id)?.name ?? id;
    const what = useHoldout ? 'held-out log-RMSE' : 'AIC';
    const others = good
      .slice(1)
      .map((c) => `${score(c).toFixed(3)} for ${name(c.law)}`)
      .join(', ');
    return {
      ok: true,
      chosen: good[0].law,
      candidates: cands,
      explanation: `${name(good[0].law)} chosen: ${what} ${score(good[0]).toFixed(3)}${others ? ` vs ${others}` : ''}`,
    };
  } catch (e) {
    return { ok: false, candidates: [], explanation: `selection failed: ${(e as Error)?.message ?? String(e)}` };
  }
}
