/** How the run list nests runs (pure: the Runs view in src/host/runsView.ts draws it). */
import type { RunSummary } from '../protocol';

/**
 * Evaluation runs (lm-eval results, eval tables) by the training run they scored, ordered by step: the Runs view
 * lists them under that run, the way the CLI folds them into it (ingest/evalLink.ts).
 */
export function evaluationsByRun(all: readonly RunSummary[]): Map<string, RunSummary[]> {
  const ids = new Set(all.map((r) => r.id));
  const out = new Map<string, RunSummary[]>();
  for (const r of all) {
    if (!r.evaluates || !ids.has(r.evaluates.id) || r.evaluates.id === r.id) continue;
    (out.get(r.evaluates.id) ?? out.set(r.evaluates.id, []).get(r.evaluates.id)!).push(r);
  }
  for (const list of out.values())
    list.sort(
      (a, b) => (a.evaluates!.step ?? Infinity) - (b.evaluates!.step ?? Infinity) || a.label.localeCompare(b.label),
    );
  return out;
}
