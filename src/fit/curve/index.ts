/** Public API of the learning-curve engine (pure: no vscode). */
export { fitCurve, predictCurve, stepsToReach, cleanCurve } from './fitCurve';
export type { CurveFit, CurveFitOptions, CurvePrediction, CurveMember, CandidateScore, FitFailure } from './fitCurve';
export { CURVE_LAWS, curveLawById } from './laws/index';
export type { CurveLaw } from './law';
export { decimate } from './decimate';
export { curveLawAsLaw, curveLawInfos } from './asLaw';
