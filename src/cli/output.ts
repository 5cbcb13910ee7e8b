/**
 * Output helpers: the JSON encoding (non-finite numbers as strings, see schema.ts) and plain-text tables.
 * Pure apart from writing to the given stream.
 */
import type { Diagnostic } from '../ingest/types';
import type { DiagnosticJson, JsonNumber } from './schema';
import { formatCompact } from '../shared/format';

/** A number as it appears in the JSON output. */
export function jnum(v: number): JsonNumber {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** JSON.stringify with non-finite numbers as "NaN"/"Infinity"/"-Infinity" (JSON would turn them into null). */
export function toJson(value: unknown, pretty = false): string {
  return JSON.stringify(
    value,
    (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? jnum(v) : v),
    pretty ? 2 : undefined,
  );
}

export function diagJson(d: Diagnostic): DiagnosticJson {
  return { path: d.path, line: d.line ?? null, severity: d.severity, message: d.message };
}

/** Compact human formatting: 4 significant digits, SI-ish suffixes for big counts. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '-';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

/** Human-readable count with 4 significant digits: 10.65M, 1.9B (src/shared/format.ts). */
export function fmtCount(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  return formatCompact(v, 4);
}

/** A left-aligned text table (first row = header). */
export function table(rows: string[][]): string {
  if (!rows.length) return '';
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (cell ?? '').padEnd(w[c]))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), w.map((n) => '-'.repeat(n)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function diagnosticsText(diags: Diagnostic[], max = 20): string {
  if (!diags.length) return '';
  const lines = diags
    .slice(0, max)
    .map((d) => `  ${d.severity}: ${d.path ? `${d.path}${d.line ? `:${d.line}` : ''}: ` : ''}${d.message}`);
  if (diags.length > max) lines.push(`  … ${diags.length - max} more (use --json for all)`);
  return `diagnostics:\n${lines.join('\n')}`;
}

/** Output sink (stdout by default; tests of pure functions can capture). */
export interface Out {
  write(s: string): void;
}
