/**
 * Adapter from our curve laws to the engine-wide `Law` type (src/fit/types.ts), for catalogs such as
 * `listLaws()` / `scaling-lens laws`. Note: curve-law parameters live in fitCurve's rescaled x̃ = x / xScale
 * units (see fitCurve.ts); `predict(p, [x̃])` expects x̃.
 */
import type { Law, LawInfo } from '../types';
import type { CurveLaw } from './law';
import { CURVE_LAWS } from './laws/index';

export function curveLawAsLaw(c: CurveLaw): Law {
  return {
    id: c.id,
    name: c.name,
    latex: c.latex,
    source: c.source,
    scope: 'curve',
    inputs: ['x'],
    params: c.params.map((q) => ({ name: q.name, lower: q.lower, upper: q.upper })),
    defaultLoss: { space: 'log', kind: 'huber' },
    predict: (p, x) => c.predict(p, x[0]),
    gradient: (p, x, g) => c.grad(p, x[0], g),
    invalidInput: (x) => (x[0] > c.minX ? null : `x must be > ${c.minX}`),
  };
}

export function curveLawInfos(): LawInfo[] {
  return CURVE_LAWS.map((c) => ({
    id: c.id,
    name: c.name,
    latex: c.latex,
    source: c.source,
    scope: 'curve',
    inputs: ['x'],
    params: c.params.map((q) => ({ name: q.name, lower: q.lower, upper: q.upper })),
  }));
}
