/**
 * What the benchmarks call, bundled by bench/run.mjs with esbuild into a temp dir (so `npm run bench` needs
 * no TS loader): the real exported functions of the ingest and fit modules, nothing re-implemented.
 */
export { LogFile } from '../src/ingest/incremental';
export { LineFeeder } from '../src/ingest/lineFeeder';
export { DEFAULT_MAX_SERIES_POINTS } from '../src/ingest/series';
export { fitChinchilla, chinchillaRefitter } from '../src/fit/chinchilla';
export { bootstrapChinchilla, bootstrapWeights } from '../src/fit/bootstrap';
export { fitCurve, predictCurve } from '../src/fit/curve/fitCurve';
export { forecastLiveRun } from '../src/fit/schedule/forecast';
export { loadPaths } from '../src/cli/load';
export { compareLmOnSharedCurves } from './lmCompare';
export { runFitJob } from '../src/model/fitJobs';
export { FitScheduler, PRIORITY } from '../src/model/fitScheduler';
export { FitClient } from '../src/worker/fitClient';
export { RunModel } from '../src/model/runModel';
export { seriesFrom } from '../src/ingest/series';
export { lttbIndices } from '../src/model/decimate';
export { SeriesThinCache } from '../src/model/thinCache';
export { InferredParser, ASSEMBLY_SLICE_POINTS } from '../src/ingest/readers/inferred';
