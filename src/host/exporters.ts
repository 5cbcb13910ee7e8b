import type { Controller } from './controller';
import { pointsCsv, sweepMarkdown, curveMarkdown, lawLatexText } from '../model/exporters';

export function exportCsv(c: Controller): string {
  return pointsCsv(c.model.runs.values(), c.curveFits, c.sweepFit, (r) => c.model.summary(r).label);
}

/** Sweep law first; otherwise the selected (or first) run's curve law. */
function selectedCurve(c: Controller) {
  const id =
    c.options.selectedRun && c.curveFits.has(c.options.selectedRun)
      ? c.options.selectedRun
      : [...c.curveFits.keys()][0];
  return id ? c.curveFits.get(id) : undefined;
}

export function lawMarkdown(c: Controller): string | undefined {
  const sweep = sweepMarkdown(c.sweepFit);
  if (sweep) return sweep;
  const f = selectedCurve(c);
  const run = f ? c.model.runs.get(f.runId) : undefined;
  return run ? curveMarkdown(f, c.model.summary(run).label) : undefined;
}

export function lawLatex(c: Controller): string | undefined {
  return lawLatexText(c.sweepFit?.ok ? c.sweepFit : selectedCurve(c));
}

/** A Markdown report of every run and the sweep fit. */
export function report(c: Controller): string {
  const lines = [
    '# Scaling Lens report',
    '',
    `Generated ${new Date().toISOString()}`,
    '',
    '## Runs',
    '',
    '| run | format | N | last step | last value | forecast |',
    '|---|---|---|---|---|---|',
  ];
  for (const s of c.model.summaries(c.options.metric)) {
    const fc = s.forecast
      ? `${s.forecast.value.toPrecision(4)} [${s.forecast.lower.toPrecision(4)}, ${s.forecast.upper.toPrecision(4)}] @ ${s.forecast.atStep}`
      : '—';
    lines.push(
      `| ${s.label.replace(/\|/g, '\\|')} | ${s.format} | ${s.params ?? '—'} | ${s.lastStep ?? '—'} | ${s.lastValue?.toPrecision(4) ?? '—'} | ${fc} |`,
    );
  }
  const sweep = sweepMarkdown(c.sweepFit);
  lines.push(
    '',
    '## Sweep',
    '',
    sweep ?? (c.sweepFit?.reason ? `No sweep fit: ${c.sweepFit.reason}` : 'No sweep fit.'),
  );
  for (const f of c.curveFits.values()) {
    const run = c.model.runs.get(f.runId);
    const md = run ? curveMarkdown(f, c.model.summary(run).label) : undefined;
    if (md) lines.push('', '## ' + c.model.summary(run!).label, '', md);
  }
  return lines.join('\n') + '\n';
}
