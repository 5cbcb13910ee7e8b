/** The "Fit details" tab: formula (rendered with KaTeX), parameters with intervals, goodness of fit, why this law, warnings. */
import katex from 'katex';
import type { CurveFitView, ParamView, RunSummary, SweepFitView } from '../src/protocol';
import { el } from './dom';
import { formatCompact, formatInterval, formatValue, targetBandText } from './format';

function num(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

function warnings(list: string[] | undefined): HTMLElement | null {
  if (!list?.length) return null;
  const box = el('div', 'warnings');
  box.setAttribute('role', 'alert');
  box.append(el('div', 'warnings-title', list.length === 1 ? 'Warning' : `${list.length} warnings`));
  const ul = el('ul');
  for (const w of list) ul.append(el('li', undefined, w));
  box.append(ul);
  return box;
}

function paramTable(params: ParamView[] | undefined, caption: string): HTMLElement | null {
  if (!params?.length) return null;
  const t = el('table', 'params');
  t.append(el('caption', 'visually-hidden', caption));
  const head = el('tr');
  for (const h of ['Parameter', 'Value', 'Interval']) {
    const th = el('th', h === 'Parameter' ? undefined : 'num', h);
    th.scope = 'col';
    head.append(th);
  }
  t.append(el('thead'));
  t.tHead!.append(head);
  const body = el('tbody');
  for (const p of params) {
    const tr = el('tr');
    const name = el('th', 'param-name', p.name);
    name.scope = 'row';
    const iv = p.lower !== undefined && p.upper !== undefined ? `[${num(p.lower)}, ${num(p.upper)}]` : '—';
    tr.append(name, el('td', 'num', num(p.value)), el('td', 'num muted', iv));
    body.append(tr);
  }
  t.append(body);
  return t;
}

/**
 * The law's formula rendered by KaTeX (HTML for the eye, MathML for screen readers), built with DOM calls so the
 * strict CSP holds; the LaTeX source stays available as the tooltip and, if KaTeX cannot parse it, as code.
 */
function formula(latex: string | undefined): HTMLElement | null {
  if (!latex) return null;
  const box = el('div', 'formula');
  box.title = latex;
  try {
    katex.render(latex, box, {
      displayMode: true,
      throwOnError: true,
      output: 'htmlAndMathml',
      trust: false,
      strict: 'ignore',
    });
    box.classList.add('rendered');
  } catch {
    box.replaceChildren(el('code', undefined, latex));
    box.setAttribute('aria-label', `Formula (LaTeX): ${latex}`);
  }
  return box;
}

function stats(items: [string, string | undefined][]): HTMLElement | null {
  const present = items.filter(([, v]) => v !== undefined && v !== '');
  if (!present.length) return null;
  const dl = el('dl', 'stats');
  for (const [k, v] of present) dl.append(el('dt', undefined, k), el('dd', undefined, v));
  return dl;
}

export function renderCurveFit(
  root: HTMLElement,
  run: RunSummary | undefined,
  fit: CurveFitView | undefined,
  metric: string,
): void {
  const parts: (HTMLElement | null)[] = [];
  if (!run) {
    parts.push(el('p', 'muted', 'Select a run on the Runs tab to see its learning-curve fit.'));
  } else {
    parts.push(el('p', 'fit-subject', `${run.label} · ${metric}`));
    if (!fit) parts.push(el('p', 'muted', 'No fit yet for this run and metric.'));
    else if (!fit.ok) {
      const p = el('p', 'fit-failed', `Not fitted: ${fit.reason ?? 'unknown reason'}`);
      p.setAttribute('role', 'alert');
      parts.push(p);
    } else {
      parts.push(warnings(fit.warnings));
      parts.push(el('p', 'law-name', fit.lawName ?? fit.law ?? ''));
      parts.push(formula(fit.latex));
      parts.push(paramTable(fit.params, `Parameters of ${fit.lawName ?? 'the law'}`));
      const end = fit.end;
      parts.push(
        stats([
          [
            end?.hypothetical ? 'If continued' : 'Forecast',
            end
              ? `${formatInterval(end.value, end.lower, end.upper)} at step ${formatCompact(end.atStep)}`
              : fit.noForecast,
          ],
          ['Forecast step', end?.basis],
          ['Backtest error', fit.backtestError !== undefined ? formatValue(fit.backtestError, 4) : undefined],
          [
            'Steps to target',
            end?.stepToTarget === null
              ? 'not within horizon' +
                (end.stepToTargetBand?.[0] != null
                  ? ` (the band's lower end: ${formatCompact(end.stepToTargetBand[0])})`
                  : '')
              : end?.stepToTarget !== undefined
                ? formatCompact(end.stepToTarget) +
                  (targetBandText(end.stepToTargetBand) ? ` (band ${targetBandText(end.stepToTargetBand)})` : '')
                : undefined,
          ],
          ['LR schedule', fit.schedule],
          ['Forecast by', end?.method ?? fit.method],
          ['Sweep prior', end ? (end.sweepPrior ?? 'none') : undefined],
          ['Epochs', end?.epochs],
        ]),
      );
      if (fit.explanation) parts.push(el('p', 'explanation', fit.explanation));
    }
  }
  root.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}

export function renderSweepFit(root: HTMLElement, fit: SweepFitView | undefined): void {
  const parts: (HTMLElement | null)[] = [];
  if (!fit)
    parts.push(
      el('p', 'muted', 'No sweep fit yet: it needs finished runs of several sizes with known parameter counts.'),
    );
  else if (!fit.ok) {
    const p = el('p', 'fit-failed', `Not fitted: ${fit.reason ?? 'unknown reason'}`);
    p.setAttribute('role', 'alert');
    parts.push(p, warnings(fit.warnings), selectionTable(fit));
  } else {
    parts.push(warnings(fit.warnings));
    parts.push(el('p', 'law-name', fit.lawName ?? fit.law ?? ''));
    if (fit.metric)
      parts.push(el('p', 'muted fit-metric', `Metric: ${fit.metric}${fit.metricNote ? ` — ${fit.metricNote}` : ''}`));
    parts.push(formula(fit.latex));
    parts.push(paramTable(fit.params, `Parameters of ${fit.lawName ?? 'the law'}`));
    const ex = fit.exponents;
    parts.push(
      stats([
        ['Objective', fit.objective !== undefined ? num(fit.objective) : undefined],
        ['Points (n)', fit.n !== undefined ? String(fit.n) : undefined],
        ['log-RMSE', fit.logRmse !== undefined ? num(fit.logRmse) : undefined],
        ['R² (log loss)', fit.r2 !== undefined && Number.isFinite(fit.r2) ? fit.r2.toFixed(4) : undefined],
        [
          'Backtest error',
          fit.backtestError !== undefined
            ? `${num(fit.backtestError)} (held-out log-RMSE on the largest 25 %)`
            : undefined,
        ],
        [
          'N_opt ∝ C^a',
          ex
            ? `a = ${ex.a.toFixed(3)}${ex.aInterval ? ` [${ex.aInterval[0].toFixed(3)}, ${ex.aInterval[1].toFixed(3)}]` : ''}`
            : undefined,
        ],
        ['D_opt ∝ C^b', ex ? `b = ${ex.b.toFixed(3)}` : undefined],
      ]),
    );
    parts.push(approachesTable(fit));
    parts.push(selectionTable(fit));
    if (fit.explanation) parts.push(el('p', 'explanation', fit.explanation));
  }
  root.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}

/** A small table: header row, then rows of cells (the first cell of a row is its header). */
function table(caption: string, head: string[], rows: string[][], cls: string): HTMLElement {
  const t = el('table', `params ${cls}`);
  t.append(el('caption', 'visually-hidden', caption));
  const hr = el('tr');
  head.forEach((h, i) => {
    const th = el('th', i ? 'num' : undefined, h);
    th.scope = 'col';
    hr.append(th);
  });
  t.append(el('thead'));
  t.tHead!.append(hr);
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    const th = el('th', 'param-name', r[0]);
    th.scope = 'row';
    tr.append(th, ...r.slice(1).map((c) => el('td', 'num', c)));
    body.append(tr);
  }
  t.append(body);
  return t;
}

/** Compute-optimal exponents by each method (closed form, IsoFLOP profiles, loss envelope). */
function approachesTable(fit: SweepFitView): HTMLElement | null {
  const a = fit.approaches;
  if (!a?.length) return null;
  const box = el('div', 'approaches');
  box.append(el('p', 'subhead', 'Compute-optimal allocation by method'));
  const basis = (x: NonNullable<SweepFitView['approaches']>[number]) =>
    x.id === 'closed-form'
      ? 'the fitted law'
      : x.id === 'isoflop' && x.points
        ? `${x.points.length} IsoFLOP budgets`
        : (x.note ?? '—');
  box.append(
    table(
      'Compute-optimal exponents by method',
      ['Method', 'a (N_opt ∝ C^a)', 'b (D_opt ∝ C^b)', 'Based on'],
      a.map((x) => [
        x.name,
        x.a !== undefined ? x.a.toFixed(3) : '—',
        x.b !== undefined ? x.b.toFixed(3) : '—',
        basis(x),
      ]),
      'approaches-table',
    ),
  );
  for (const x of a) if (x.id === 'isoflop' && x.note && x.points) box.append(el('p', 'muted', `${x.name}: ${x.note}`));
  return box;
}

/** The candidates `auto` compared, with their scores, the chosen one first. */
function selectionTable(fit: SweepFitView): HTMLElement | null {
  const s = fit.selection;
  if (!s?.candidates.length) return null;
  const box = el('div', 'selection');
  box.append(el('p', 'subhead', `Law chosen automatically, by ${s.by} (lower is better)`));
  const rows = [...s.candidates]
    .sort((x, y) => (x.score ?? Infinity) - (y.score ?? Infinity))
    .map((c) => [
      `${c.law === fit.law ? '✓ ' : ''}${c.name}`,
      c.score !== undefined && Number.isFinite(c.score) ? num(c.score) : '—',
      c.reason ?? '',
    ]);
  box.append(table(`Candidate laws by ${s.by}`, ['Law', s.by, 'Note'], rows, 'selection-table'));
  return box;
}
