/**
 * The dashboard's filter box, one definition for both sides: the webview lists the runs that match, and the host
 * charts matching runs (src/model/chartSet.ts), so a filter at 100+ runs brings its runs onto the chart instead
 * of only hiding the others. Pure.
 */

/**
 * Whether a run matches the filter box: every whitespace-separated term must occur (case-insensitive) in its label,
 * group or path; a term starting with `-` must not. An empty filter matches everything.
 */
export function matchesFilter(run: { label: string; group?: string; relPath?: string }, query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return true;
  const hay = `${run.label}\n${run.group ?? ''}\n${run.relPath ?? ''}`.toLowerCase();
  return terms.every((t) => (t.startsWith('-') && t.length > 1 ? !hay.includes(t.slice(1)) : hay.includes(t)));
}

/** Longest filter text kept (what the webview sends and the host accepts). */
export const MAX_FILTER = 200;
