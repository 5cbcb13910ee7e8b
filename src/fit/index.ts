/**
 * Public facade of the fitting engine (pure: no `vscode`; used by the worker, the editor model and the CLI):
 * sweep laws (Chinchilla, one-input laws), compute-optimal allocation (closed form, IsoFLOP, loss envelope),
 * learning-curve fits within a run (curve/), and LR-schedule-aware laws and live-run forecasts (schedule/).
 */
import type { LawInfo, Law } from './types';
import { SWEEP_LAWS } from './sweep';
import { computeOptimalClosedForm, type ChinchillaParams } from './computeOptimal';

export * from './types';
export { fitSweep, fitOneInput, SWEEP_LAWS, type SweepOptions } from './sweep';
export { fitChinchilla, chinchillaGrid, type ChinchillaOptions, type ChinchillaFit } from './chinchilla';
export { bootstrapChinchilla, mulberry32, percentile, type BootstrapOptions, type BootstrapResult } from './bootstrap';
export { computeOptimalClosedForm, chinchillaLoss, type ChinchillaParams } from './computeOptimal';
export { minimizeLbfgsb, multiStart, huber, huberDeriv, makeObjective, cartesian, range } from './optim';
export { sweepPointsFromCsv, parseCsv } from './csv';

/** Compute-optimal N, D and loss at the given budgets from a fitted Chinchilla result's params. */
export function computeOptimal(
  fit: { ok: boolean; params: Record<string, number> } | { ok: false },
  budgets: number[],
) {
  if (!fit.ok || !('params' in fit)) return { ok: false as const, reason: 'no successful Chinchilla fit' };
  const p = fit.params as unknown as ChinchillaParams;
  if (![p.A, p.B, p.E, p.alpha, p.beta].every(Number.isFinite))
    return { ok: false as const, reason: 'fit has no Chinchilla parameters (A, B, E, alpha, beta)' };
  return computeOptimalClosedForm(p, budgets);
}

function info(l: Law): LawInfo {
  return {
    id: l.id,
    name: l.name,
    latex: l.latex,
    source: l.source,
    scope: l.scope,
    inputs: l.inputs,
    params: l.params.map((p) => ({ name: p.name, lower: p.lower, upper: p.upper })),
  };
}

/** Catalog of laws (the CLI's `scaling-lens laws`). Curve laws are appended by the curves module. */
export function listLaws(extra: Law[] = []): LawInfo[] {
  return [...SWEEP_LAWS, ...extra].map(info);
}
export { isoflopFrontier, fitParabola, type IsoflopResult } from './isoflop';
export { lossEnvelope, type EnvelopeResult, type EnvelopePoint } from './envelope';
export { selectLaw, backtest, informationCriteria, defaultCandidates, type Selection, type Candidate } from './select';
export * from './curve';
export * from './schedule';
