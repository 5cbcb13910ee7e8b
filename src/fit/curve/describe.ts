/** One-line descriptions of a curve fit for the editor and the CLI: which law or model average was used. Pure. */
import type { CurveFit } from './fitCurve';

/**
 * "model average: pow3 33 %, mmf 33 %, m4 33 % (equal weights: the laws within 2× the best held-out error)",
 * "… (weights from BIC)" when nothing could be backtested, or "pow3 (single law)"; followed by "; beyond the data
 * falling at most 0.75 × the run's late log-log slope (−0.40: decline cap)" when the fit has one (fitCurve's
 * `declineCap`, study 7), so that a forecast raised by the cap says why.
 */
export function describeFit(f: CurveFit): string {
  const ms =
    f.members && f.members.length ? f.members : [{ law: f.law, weight: 1, holdoutLogRmse: f.backtest.logRmse }];
  const cap = f.declineCap
    ? `; beyond the data falling at most ${f.declineCap.theta} × the run's late log-log slope (${f.declineCap.slope.toFixed(2)}: decline cap)`
    : '';
  if (ms.length === 1) return `${ms[0].law} (single law)${cap}`;
  const bic = ms.every((m) => !Number.isFinite(m.holdoutLogRmse));
  const parts = ms.map((m) => `${m.law} ${Math.round((m.weight ?? 1 / ms.length) * 100)} %`);
  return `model average: ${parts.join(', ')} (${bic ? 'weights from BIC' : 'equal weights: the laws within 2× the best held-out error'})${cap}`;
}

/** What a forecast shown in the editor carries (protocol.ts Forecast, structurally). */
export interface ForecastProvenance {
  value: number;
  lower: number;
  upper: number;
  lawName: string;
  method?: string;
  schedule?: string;
  sweepPrior?: string;
  epochs?: string;
}

/**
 * One sentence for the status-bar tooltip: the forecast WITH its band, which law or average made it, which LR
 * schedule it assumes and which sweep prior (or none) it used, and the epoch boundaries it crosses when it does — never a forecast without its band.
 */
export function forecastProvenance(f: ForecastProvenance, confidencePct: number): string {
  const p = (v: number) => (Number.isFinite(v) ? v.toPrecision(4) : '?');
  const band =
    Number.isFinite(f.lower) && Number.isFinite(f.upper)
      ? `${confidencePct} % band ${p(f.lower)} – ${p(f.upper)}`
      : 'no band (not identifiable)';
  return `${p(f.value)} (${band}); by ${f.method ?? f.lawName}; LR schedule: ${f.schedule ?? 'continuation as logged'}; sweep prior: ${f.sweepPrior ?? 'none'}${f.epochs ? `; ${f.epochs}` : ''}`;
}
