/**
 * Exports: CSV of observed points and predictions, the fitted laws as Markdown or LaTeX, a Markdown report.
 * Pure (no `vscode`): the host passes what the controller holds.
 */
import type { Run } from '../ingest/types';
import type { CurveFitView, ParamView, SweepFitView } from '../protocol';

/** RFC 4180 quoting; also neutralises spreadsheet formula injection (=, +, -, @ at the start of a text cell). */
export function csvCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : String(v); // NaN / Infinity kept as text
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function pointsCsv(
  runs: Iterable<Run>,
  curveFits: Map<string, CurveFitView>,
  sweep: SweepFitView | undefined,
  label: (r: Run) => string,
): string {
  const rows: string[] = ['run,metric,kind,step,value,lower,upper'];
  for (const run of runs) {
    for (const [metric, s] of Object.entries(run.metrics)) {
      for (let i = 0; i < s.step.length; i++)
        rows.push(
          [label(run), metric, 'observed', s.step[i], s.value[i], '', '']
            .map((c) => csvCell(c as string | number))
            .join(','),
        );
    }
    const f = curveFits.get(run.id);
    if (f?.ok && f.band) {
      for (let i = 0; i < f.band.x.length; i++)
        rows.push(
          [label(run), f.metric, `fit:${f.law}`, f.band.x[i], f.band.y[i], f.band.lower[i], f.band.upper[i]]
            .map((c) => csvCell(c as string | number))
            .join(','),
        );
    }
  }
  if (sweep) {
    rows.push('', 'sweep_point,N,D,C,loss,excluded');
    for (const p of sweep.points)
      rows.push(
        [p.label ?? p.runId ?? '', p.N, p.D, p.C, p.loss, p.excluded ? 1 : 0]
          .map((c) => csvCell(c as string | number))
          .join(','),
      );
  }
  return rows.join('\n') + '\n';
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toPrecision(4);
}

function paramTable(params: ParamView[]): string {
  const lines = ['| parameter | value | interval |', '|---|---|---|'];
  for (const p of params)
    lines.push(
      `| ${p.name} | ${fmt(p.value)} | ${p.lower !== undefined && p.upper !== undefined ? `${fmt(p.lower)} – ${fmt(p.upper)}` : '—'} |`,
    );
  return lines.join('\n');
}

export function sweepMarkdown(f: SweepFitView | undefined): string | undefined {
  if (!f?.ok || !f.params) return undefined;
  const parts = [
    `**${f.lawName ?? f.law}** fitted on ${f.n ?? f.points.length} points`,
    '',
    `$$${f.latex ?? ''}$$`,
    '',
    paramTable(f.params),
  ];
  if (f.exponents)
    parts.push(
      '',
      `Compute-optimal: $N_{opt} \\propto C^{${f.exponents.a.toFixed(3)}}$, $D_{opt} \\propto C^{${f.exponents.b.toFixed(3)}}$`,
    );
  if (f.explanation) parts.push('', f.explanation);
  if (f.warnings?.length) parts.push('', ...f.warnings.map((w) => `> ⚠ ${w}`));
  return parts.join('\n');
}

export function curveMarkdown(f: CurveFitView | undefined, label: string): string | undefined {
  if (!f?.ok || !f.params) return undefined;
  const parts = [
    `**${label}** — ${f.metric}: ${f.lawName ?? f.law}`,
    '',
    `$$${f.latex ?? ''}$$`,
    '',
    paramTable(f.params),
  ];
  if (f.end)
    parts.push(
      '',
      `Predicted ${f.metric} at step ${f.end.atStep}: ${fmt(f.end.value)} (${fmt(f.end.lower)} – ${fmt(f.end.upper)})`,
    );
  return parts.join('\n');
}

/** The fitted laws as LaTeX with the parameter values substituted into a parameter list. */
export function lawLatexText(
  f: { latex?: string; params?: ParamView[]; lawName?: string } | undefined,
): string | undefined {
  if (!f?.latex || !f.params) return undefined;
  const vals = f.params.map(
    (p) =>
      `${p.name} = ${fmt(p.value)}${p.lower !== undefined && p.upper !== undefined ? ` \\; [${fmt(p.lower)}, ${fmt(p.upper)}]` : ''}`,
  );
  return `% ${f.lawName ?? ''}\n${f.latex}\n\\quad\\text{with}\\quad ${vals.join(',\\; ')}`;
}
