/**
 * Which fits a change of settings or dashboard options makes stale. A fit is redone only when something it uses
 * changed: curve fits use the metric, the curve law and the confidence; the sweep fit uses the metric, the sweep
 * law, the confidence, the bootstrap samples, the parameter counts (`runParameters`) and which runs count as
 * finished (`liveTimeoutSeconds`). The target loss refits nothing (forecasts are re-read from their mean curves).
 */

export interface FitSettings {
  confidence: number;
  bootstrapSamples: number;
  runParameters: Readonly<Record<string, number>>;
  liveTimeoutSeconds: number;
}

export interface FitOptions {
  metric: string;
  curveLaw: string;
  sweepLaw: string;
}

export interface Refits {
  curves: boolean;
  sweep: boolean;
}

export function refitsForSettings(prev: FitSettings, next: FitSettings): Refits {
  const confidence = prev.confidence !== next.confidence;
  return {
    curves: confidence,
    sweep:
      confidence ||
      prev.bootstrapSamples !== next.bootstrapSamples ||
      prev.liveTimeoutSeconds !== next.liveTimeoutSeconds ||
      !sameRecord(prev.runParameters, next.runParameters),
  };
}

export function refitsForOptions(prev: FitOptions, change: Partial<FitOptions>): Refits {
  const changed = (k: keyof FitOptions) => change[k] !== undefined && change[k] !== prev[k];
  return { curves: changed('metric') || changed('curveLaw'), sweep: changed('metric') || changed('sweepLaw') };
}

function sameRecord(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.is(a[k], b[k]));
}
