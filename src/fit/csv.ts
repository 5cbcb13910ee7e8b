/**
 * Tiny CSV reader for numeric tables (tests, benchmarks, CLI). Handles quoted fields and CRLF; not a
 * general-purpose parser (the ingestion readers own log formats).
 */
import type { SweepPointInput } from './types';

export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const split = (line: string): string[] => {
    const out: string[] = [];
    let cur = '',
      q = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (q) {
        if (c === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') q = false;
        else cur += c;
      } else if (c === '"') q = true;
      else if (c === ',') {
        out.push(cur);
        cur = '';
      } else cur += c;
    }
    out.push(cur);
    return out;
  };
  const [head, ...rest] = lines;
  return { header: head ? split(head).map((h) => h.trim()) : [], rows: rest.map(split) };
}

/**
 * Sweep points from a CSV with N / D / C / loss columns (names given explicitly; D = C/(6N) when only C is
 * present). Rows with unparsable numbers keep NaN so the fit reports and drops them.
 */
export function sweepPointsFromCsv(
  text: string,
  cols: { N: string; loss: string; D?: string; C?: string },
): SweepPointInput[] {
  const { header, rows } = parseCsv(text);
  const idx = (name?: string) => (name ? header.indexOf(name) : -1);
  const iN = idx(cols.N),
    iL = idx(cols.loss),
    iD = idx(cols.D),
    iC = idx(cols.C);
  if (iN < 0 || iL < 0) return [];
  return rows.map((r) => {
    const N = Number(r[iN]),
      loss = Number(r[iL]);
    const C = iC >= 0 ? Number(r[iC]) : undefined;
    const D = iD >= 0 ? Number(r[iD]) : C !== undefined ? C / (6 * N) : undefined;
    return { N, D, C, loss };
  });
}
