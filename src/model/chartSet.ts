/**
 * Which runs the dashboard draws. A workspace can hold a thousand runs; drawing all of them (each with its fitted
 * curve and band) overloads the webview's renderer and says nothing to a person. The run list lists every run;
 * the chart shows at most `CHART_MAX`: the selected run, the runs the user pinned, then live runs, then the most
 * recently written ones. The host sends series and curve fits only for these. Pure.
 */
import type { RunModel } from './runModel';
import { matchesFilter } from '../shared/runFilter';

/** At most this many runs are drawn at once. */
export const CHART_MAX = 30;

export interface ChartCandidate {
  id: string;
  /** The run is live (the run-state model, src/model/runState.ts). */
  live: boolean;
  /** When its log last grew (ms; larger = more recent). */
  recency: number;
}

/**
 * The charted runs, in priority order: `selected`, then `pinned` (in the order given), then live runs, most
 * recent first, then the others, most recent first (ties: by id, so the choice is stable). With `include` (the
 * filter box), live and recent runs join only when they match it: a filter over 100+ runs brings its runs onto the
 * chart instead of leaving the chart with the 30 most recent minus those it hides. Ids that are not candidates are
 * ignored; the result holds no duplicates and at most `max` ids.
 */
export function chooseCharted(
  cands: readonly ChartCandidate[],
  selected: string | undefined,
  pinned: readonly string[],
  max = CHART_MAX,
  include?: (id: string) => boolean,
): string[] {
  const known = new Set(cands.map((c) => c.id));
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (out.length < max && known.has(id) && !seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  };
  if (selected !== undefined) add(selected);
  for (const id of pinned) add(id);
  if (out.length >= max) return out;
  const byRecency = (a: ChartCandidate, b: ChartCandidate) =>
    b.recency - a.recency || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const rest = include ? cands.filter((x) => include(x.id)) : cands;
  for (const c of rest.filter((x) => x.live).sort(byRecency)) add(c.id);
  for (const c of rest.filter((x) => !x.live).sort(byRecency)) add(c.id);
  return out;
}

/** Pins or unpins a run; the oldest pin goes when more than `max` would be pinned. */
export function togglePin(pinned: readonly string[], id: string, max = CHART_MAX): string[] {
  if (pinned.includes(id)) return pinned.filter((p) => p !== id);
  const next = [...pinned, id];
  return next.length > max ? next.slice(next.length - max) : next;
}

/** Same members, whatever the order. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}

/** Chart candidates from the run model: every run, live as the run-state model decides (the one rule every view uses). */
export function chartCandidates(model: RunModel): ChartCandidate[] {
  const out: ChartCandidate[] = [];
  for (const f of model.files.values()) {
    for (const id of f.runIds) {
      const run = model.runs.get(id);
      if (!run) continue;
      out.push({ id, live: model.state(run) === 'live', recency: f.lastGrowth });
    }
  }
  return out;
}

/**
 * The runs matching the filter box, as the webview matches them (label, folder, path: the run list's fields), or
 * undefined for an empty filter (everything matches).
 */
export function filterMatcher(model: RunModel, filter: string | undefined): ((id: string) => boolean) | undefined {
  if (!filter?.trim()) return undefined;
  const ok = new Set<string>();
  for (const run of model.runs.values()) {
    const s = model.summaryLabels(run);
    if (matchesFilter(s, filter)) ok.add(run.id);
  }
  return (id) => ok.has(id);
}
