/** One-line descriptions of a curve fit for the editor and the CLI: which law or model average was used. Pure. */
import type { CurveFit } from './fitCurve';

/** "model average: pow3 52 %, mmf 30 %, m4 18 % (weights from held-out error)" or "pow3 (single law)". */
export function describeFit(f: CurveFit): string {
  const ms = f.members && f.members.length ? f.members : [{ law: f.law, weight: 1, holdoutLogRmse: f.backtest.logRmse }];
  if (ms.length === 1) return `${ms[0].law} (single law)`;
  const bic = ms.every((m) => !Number.isFinite(m.holdoutLogRmse));
  const parts = ms.map((m) => `${m.law} ${Math.round((m.weight ?? 1 / ms.length) * 100)} %`);
  return `model average: ${parts.join(', ')} (weights from ${bic ? 'BIC' : 'held-out error'})`;
}
