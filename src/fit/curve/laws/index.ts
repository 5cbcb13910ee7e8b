/** Registry of the learning-curve laws (one law per file). */
import type { CurveLaw } from '../law';
import { sweepLawAsCurveLaw } from '../fromSweep';
import { bnsl1Law, bnsl2Law } from '../../laws/bnsl';
import { pow3 } from './pow3';
import { pow4 } from './pow4';
import { logPower } from './logPower';
import { exp3 } from './exp3';
import { exp4 } from './exp4';
import { janoschek } from './janoschek';
import { weibull } from './weibull';
import { mmf } from './mmf';
import { ilog2 } from './ilog2';
import { vaporPressure } from './vaporPressure';
import { m1 } from './m1';
import { m2 } from './m2';
import { m3 } from './m3';
import { m4 } from './m4';
import { pow3b } from './pow3b';

export { pow3, pow4, logPower, exp3, exp4, janoschek, weibull, mmf, ilog2, vaporPressure, m1, m2, m3, m4 };

export const CURVE_LAWS: readonly CurveLaw[] = [
  pow3,
  pow4,
  logPower,
  exp3,
  exp4,
  janoschek,
  weibull,
  mmf,
  ilog2,
  vaporPressure,
  m1,
  m2,
  m3,
  m4,
];

/**
 * Curve laws that can be chosen explicitly (`fitCurve(x, y, { laws: ['bnsl1'] })`, `scaling-lens fit --law
 * bnsl1` on one run) but are not in the automatic selection: the broken power laws have 6 and 9 parameters and
 * need many starts, too slow for live refits and too flexible to rank by a short backtest.
 */
export const EXPLICIT_CURVE_LAWS: readonly CurveLaw[] = [
  sweepLawAsCurveLaw(bnsl1Law, 0),
  sweepLawAsCurveLaw(bnsl2Law, 0),
  pow3b,
];

export function curveLawById(id: string): CurveLaw | undefined {
  return CURVE_LAWS.find((l) => l.id === id) ?? EXPLICIT_CURVE_LAWS.find((l) => l.id === id);
}
