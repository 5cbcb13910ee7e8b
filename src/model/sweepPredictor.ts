/**
 * What a sweep fit keeps so that *Predict at…* can answer without refitting (issue 16): the fitted parameters and
 * the bootstrap parameter sets its intervals came from. Evaluating them at a point is a few thousand closed-form
 * evaluations (src/model/sweepPredict.ts); refitting, bootstrap included, took seconds. Pure, no imports: the fit
 * views register their predictor here and the fit job sends it back beside the view (not to the webview).
 */
import type { ChinchillaParams } from '../fit/computeOptimal';

export type SweepPredictor =
  | {
      kind: 'chinchilla';
      law: string;
      lawName: string;
      params: ChinchillaParams;
      boot: ChinchillaParams[];
      confidence: number;
    }
  /** A one-input law `<law>@<axis>`: raw parameter vector of the fit and of each bootstrap replicate. */
  | {
      kind: 'one';
      law: string;
      lawName: string;
      axis: 'N' | 'D' | 'C';
      raw: number[];
      boot: number[][];
      confidence: number;
    };

const predictors = new WeakMap<object, SweepPredictor>();

/** Attaches a predictor to the view it was fitted with (the view object itself, before any copy). */
export function rememberPredictor(view: object, p: SweepPredictor): void {
  predictors.set(view, p);
}

export function predictorOf(view: object): SweepPredictor | undefined {
  return predictors.get(view);
}

const isNum = (v: unknown): v is number => typeof v === 'number';
const isChin = (v: unknown): v is ChinchillaParams => {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return isNum(o.A) && isNum(o.B) && isNum(o.E) && isNum(o.alpha) && isNum(o.beta);
};
const isVec = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNum);

/** Structural check of a predictor that crossed the worker boundary. */
export function isSweepPredictor(v: unknown): v is SweepPredictor {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (typeof o.law !== 'string' || typeof o.lawName !== 'string' || !isNum(o.confidence) || !Array.isArray(o.boot))
    return false;
  if (o.kind === 'chinchilla') return isChin(o.params) && o.boot.every(isChin);
  if (o.kind === 'one')
    return (o.axis === 'N' || o.axis === 'D' || o.axis === 'C') && isVec(o.raw) && o.boot.every(isVec);
  return false;
}
