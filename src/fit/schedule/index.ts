/** Public API of the LR-schedule-aware laws (pure: no vscode). */
export { fitScheduleLaw, predictSchedule, MPL_PRIOR } from './fitSchedule';
export type {
  ScheduleCurve,
  ScheduleFit,
  ScheduleFitOptions,
  ScheduleFitResult,
  ScheduleLawId,
  ScheduleFitMethod,
} from './fitSchedule';
export { buildLrSchedule } from './lrSeries';
export type { LrSchedule } from './lrSeries';
export { mplPredict, mplChanges, MPL_PARAM_NAMES, MPL_LATEX, MPL_SOURCE } from './mpl';
export { tissuePredict, annealingArea, TISSUE_PARAM_NAMES, TISSUE_LATEX, TISSUE_SOURCE } from './tissue';
export { inferSchedule } from './infer';
export type { InferredSchedule, InferResult, ScheduleShape, DecayShape } from './infer';
export { forecastLiveRun } from './forecast';
export type {
  LiveRunInput,
  LiveForecastOptions,
  LiveForecast,
  LiveForecastPoint,
  LiveForecastResult,
} from './forecast';
