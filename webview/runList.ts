/**
 * The run list: a listbox with one option per run. Arrow keys / Home / End move, Space includes or excludes the run
 * from fits (aria-checked), Enter or click selects it (aria-selected). One tab stop (roving tabindex).
 */
import type { RunSummary } from '../src/protocol';
import { el } from './dom';
import { formatCompact, formatForecast, formatValue } from './format';

/** The latest value shown for a run: of the metric on screen. */
export interface LastValue { metric: string; value?: number; step?: number }

export interface RunListHandlers {
  toggle(runId: string): void;
  select(runId: string): void;
  focusChanged(runId: string): void;
}

export class RunList {
  private rows = new Map<string, HTMLElement>();
  private order: string[] = [];
  private focused: string | undefined;

  constructor(private root: HTMLElement, private h: RunListHandlers) {
    root.addEventListener('keydown', (e) => this.onKey(e));
    root.addEventListener('focus', () => {
      // The listbox itself is only a tab stop while empty; forward focus to the active row.
      const id = this.focused ?? this.order[0];
      if (id) this.rows.get(id)?.focus();
    });
  }

  get focusedRun(): string | undefined { return this.focused; }
  set focusedRun(id: string | undefined) { this.focused = id; }

  render(runs: RunSummary[], selected: string | undefined, colors: string[], lastFor: (r: RunSummary) => LastValue): void {
    const hadFocus = this.root.contains(document.activeElement);
    const next = new Map<string, HTMLElement>();
    const rows: HTMLElement[] = [];
    runs.forEach((run, i) => {
      const row = this.rows.get(run.id) ?? this.makeRow(run.id);
      this.fill(row, run, i, run.id === selected, colors[i % colors.length], lastFor(run));
      next.set(run.id, row);
      rows.push(row);
    });
    this.rows = next;
    this.order = runs.map((r) => r.id);
    if (!this.focused || !next.has(this.focused)) this.focused = selected && next.has(selected) ? selected : this.order[0];
    for (const [id, row] of next) row.tabIndex = id === this.focused ? 0 : -1;
    this.root.replaceChildren(...rows);
    this.root.tabIndex = rows.length ? -1 : 0;
    if (hadFocus && this.focused) next.get(this.focused)?.focus();
  }

  private makeRow(runId: string): HTMLElement {
    const row = el('div', 'run-row');
    row.setAttribute('role', 'option');
    const check = el('span', 'run-check');
    check.setAttribute('aria-hidden', 'true');
    check.addEventListener('click', (e) => { e.stopPropagation(); this.setFocus(runId, false); this.h.toggle(runId); });
    const swatch = el('span', 'swatch');
    swatch.setAttribute('aria-hidden', 'true');
    const main = el('div', 'run-main');
    const l1 = el('div', 'run-line1');
    l1.append(el('span', 'run-label'), el('span', 'badge'));
    const l2 = el('div', 'run-line2');
    l2.append(el('span', 'run-params'), el('span', 'run-last'), el('span', 'run-forecast'));
    main.append(l1, l2);
    row.append(check, swatch, main);
    row.addEventListener('click', () => { this.setFocus(runId, false); this.h.select(runId); });
    return row;
  }

  private fill(row: HTMLElement, run: RunSummary, _i: number, selected: boolean, color: string, lv: LastValue): void {
    row.classList.toggle('selected', selected);
    row.classList.toggle('excluded', run.excluded);
    row.setAttribute('aria-selected', String(selected));
    row.setAttribute('aria-checked', String(!run.excluded));
    row.dataset.runId = run.id;
    const q = (c: string) => row.querySelector(`.${c}`) as HTMLElement;
    q('run-check').classList.toggle('checked', !run.excluded);
    // CSSOM style from script is allowed by the CSP (no inline style attribute in markup).
    q('swatch').style.backgroundColor = color;
    q('run-label').textContent = run.label;
    row.title = `${run.relPath} (${run.format})`;
    const badge = q('badge');
    badge.textContent = run.state;
    badge.className = `badge state-${run.state}`;
    q('run-params').textContent = run.params ? `${formatCompact(run.params)} params` : 'params ?';
    q('run-params').title = run.paramsSource ? `from ${run.paramsSource}` : '';
    const last = lv.value !== undefined ? `${lv.metric} ${formatValue(lv.value)}${lv.step !== undefined ? ` @${formatCompact(lv.step)}` : ''}` : '';
    q('run-last').textContent = last;
    q('run-forecast').textContent = formatForecast(run.forecast);
    q('run-forecast').title = run.forecast ? `${run.forecast.metric} at step ${formatCompact(run.forecast.atStep)} (${run.forecast.lawName})` : '';
    const problems = run.problems > 0 ? `, ${run.problems} problem${run.problems > 1 ? 's' : ''}` : '';
    row.setAttribute('aria-label', `${run.label}, ${run.state}, ${run.params ? formatCompact(run.params) + ' parameters' : 'parameters unknown'}${last ? ', ' + last : ''}${run.forecast ? ', forecast ' + formatForecast(run.forecast).slice(2) : ''}${run.excluded ? ', excluded from fits' : ', included in fits'}${problems}`);
  }

  private setFocus(id: string, move = true): void {
    this.focused = id;
    for (const [rid, row] of this.rows) row.tabIndex = rid === id ? 0 : -1;
    if (move) this.rows.get(id)?.focus();
    this.h.focusChanged(id);
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.order.length) return;
    const i = Math.max(0, this.order.indexOf(this.focused ?? ''));
    let j = -1;
    switch (e.key) {
      case 'ArrowDown': j = Math.min(this.order.length - 1, i + 1); break;
      case 'ArrowUp': j = Math.max(0, i - 1); break;
      case 'Home': j = 0; break;
      case 'End': j = this.order.length - 1; break;
      case ' ': case 'Spacebar': e.preventDefault(); this.h.toggle(this.order[i]); return;
      case 'Enter': e.preventDefault(); this.h.select(this.order[i]); return;
      default: return;
    }
    e.preventDefault();
    this.setFocus(this.order[j]);
  }
}
