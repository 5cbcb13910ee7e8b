/** The "Fit details" tab: formula (LaTeX source), parameters with intervals, goodness of fit, why this law, warnings. */
import type { CurveFitView, ParamView, RunSummary, SweepFitView } from '../src/protocol';
import { el } from './dom';
import { formatCompact, formatInterval, formatValue } from './format';

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
  for (const h of ['Parameter', 'Value', 'Interval']) { const th = el('th', h === 'Parameter' ? undefined : 'num', h); th.scope = 'col'; head.append(th); }
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

function formula(latex: string | undefined): HTMLElement | null {
  if (!latex) return null;
  const pre = el('pre', 'formula');
  const code = el('code', undefined, latex);
  pre.append(code);
  pre.setAttribute('aria-label', `Formula (LaTeX): ${latex}`);
  return pre;
}

function stats(items: [string, string | undefined][]): HTMLElement | null {
  const present = items.filter(([, v]) => v !== undefined && v !== '');
  if (!present.length) return null;
  const dl = el('dl', 'stats');
  for (const [k, v] of present) dl.append(el('dt', undefined, k), el('dd', undefined, v));
  return dl;
}

export function renderCurveFit(root: HTMLElement, run: RunSummary | undefined, fit: CurveFitView | undefined, metric: string): void {
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
      parts.push(stats([
        ['Forecast', end ? `${formatInterval(end.value, end.lower, end.upper)} at step ${formatCompact(end.atStep)}` : undefined],
        ['Backtest error', fit.backtestError !== undefined ? formatValue(fit.backtestError, 4) : undefined],
        ['Steps to target', end?.stepToTarget === null ? 'not within horizon' : end?.stepToTarget !== undefined ? formatCompact(end.stepToTarget) : undefined],
      ]));
      if (fit.explanation) parts.push(el('p', 'explanation', fit.explanation));
    }
  }
  root.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}

export function renderSweepFit(root: HTMLElement, fit: SweepFitView | undefined): void {
  const parts: (HTMLElement | null)[] = [];
  if (!fit) parts.push(el('p', 'muted', 'No sweep fit yet: it needs finished runs of several sizes with known parameter counts.'));
  else if (!fit.ok) {
    const p = el('p', 'fit-failed', `Not fitted: ${fit.reason ?? 'unknown reason'}`);
    p.setAttribute('role', 'alert');
    parts.push(p, warnings(fit.warnings));
  } else {
    parts.push(warnings(fit.warnings));
    parts.push(el('p', 'law-name', fit.lawName ?? fit.law ?? ''));
    parts.push(formula(fit.latex));
    parts.push(paramTable(fit.params, `Parameters of ${fit.lawName ?? 'the law'}`));
    const ex = fit.exponents;
    parts.push(stats([
      ['Objective', fit.objective !== undefined ? num(fit.objective) : undefined],
      ['Runs (n)', fit.n !== undefined ? String(fit.n) : undefined],
      ['N_opt ∝ C^a', ex ? `a = ${ex.a.toFixed(3)}${ex.aInterval ? ` [${ex.aInterval[0].toFixed(3)}, ${ex.aInterval[1].toFixed(3)}]` : ''}` : undefined],
      ['D_opt ∝ C^b', ex ? `b = ${ex.b.toFixed(3)}` : undefined],
    ]));
    if (fit.explanation) parts.push(el('p', 'explanation', fit.explanation));
  }
  root.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}
