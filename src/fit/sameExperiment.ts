/**
 * A sweep folder often holds both the runs' logs and a points table that summarises them (one row per run).
 * Counting both would enter each experiment twice: the fit would look twice as sure as it is. A table row whose
 * N and D are both within 1 % of a run's is taken to be that run and dropped (the run's own point is kept: it
 * has provenance and a curve). Used by the editor's sweep view and the CLI alike.
 */
export const SAME_EXPERIMENT_TOLERANCE = 0.01;

const near = (x: number, y: number) =>
  Math.abs(x - y) <= SAME_EXPERIMENT_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));

/** Splits table rows into those that are new experiments and those that repeat one of `runs`. */
export function dropRowsRepeatingRuns<T extends { N: number; D: number }>(
  rows: T[],
  runs: { N: number; D: number }[],
): { kept: T[]; repeated: T[] } {
  const kept: T[] = [],
    repeated: T[] = [];
  for (const p of rows) (runs.some((r) => near(r.N, p.N) && near(r.D, p.D)) ? repeated : kept).push(p);
  return { kept, repeated };
}
