/**
 * The run list: a listbox with one option per run, under a heading per group (folder) when there are several.
 * Arrow keys / Home / End move, Space includes or excludes the run from fits (aria-checked), Enter or click selects
 * it (aria-selected), H (or a click on its colour bar) shows or hides it on the chart, P pins it to the chart or
 * unpins it. One tab stop (roving tabindex). Every run that passes the filter is listed; only the charted ones (a
 * filled colour bar) are drawn. Rows are updated in place and only when what they show changed, so a thousand runs
 * arriving during a scan cost one pass over the list per frame, not a rebuilt list.
 */
import type { RunSummary } from '../src/protocol';
import { el } from './dom';
import { formatCompact, formatForecast, formatValue } from './format';
import { sameData } from './store';

/** The latest value shown for a run: of the metric on screen. */
export interface LastValue {
  metric: string;
  value?: number;
  step?: number;
}

export interface RunListHandlers {
  toggle(runId: string): void;
  select(runId: string): void;
  pin(runId: string): void;
  /** Colour bar clicked or H: show or hide the run on the chart. */
  showHide(runId: string): void;
  focusChanged(runId: string): void;
}

/** What one row shows; a row is redrawn only when this differs by value from what it showed. */
interface RowView {
  run: RunSummary;
  selected: boolean;
  color: string;
  last: LastValue;
  chart: ChartMark;
  group: string;
}
type ChartMark = 'on' | 'off' | 'pinned' | 'hidden';

/** Same text, classes and attributes (everything but the colour bar's colour). */
function sameContent(a: RowView | undefined, b: RowView): boolean {
  return (
    !!a &&
    a.selected === b.selected &&
    a.chart === b.chart &&
    a.group === b.group &&
    sameData(a.last, b.last) &&
    (a.run === b.run || sameData(a.run, b.run))
  );
}

/** A row's parts, found once when it is made (a fill touched them through nine selector queries). */
interface RowParts {
  check: HTMLElement;
  swatch: HTMLElement;
  label: HTMLElement;
  badge: HTMLElement;
  params: HTMLElement;
  last: HTMLElement;
  forecast: HTMLElement;
}

/** Whether a run is drawn, whether the user pinned it there or hid it, and its group. */
export interface ChartMarks {
  charted(runId: string): boolean;
  pinned(runId: string): boolean;
  hidden?(runId: string): boolean;
  group?(runId: string): string;
}

/**
 * Makes `root`'s children exactly `children`, in order, moving only the nodes that are out of place: runs arriving
 * during a scan insert a few rows, where replacing all of them re-created the layout of a thousand rows each refresh.
 */
function reorder(root: HTMLElement, children: readonly HTMLElement[]): void {
  const want = new Set<Node>(children);
  for (const c of Array.from(root.childNodes)) if (!want.has(c)) c.remove();
  let at: ChildNode | null = root.firstChild;
  for (const c of children) {
    if (at === c) at = at.nextSibling;
    else root.insertBefore(c, at);
  }
}

export class RunList {
  private rows = new Map<string, HTMLElement>();
  private parts = new WeakMap<HTMLElement, RowParts>();
  /** What each row shows, to skip rows that did not change. */
  private shown = new Map<string, RowView>();
  private order: string[] = [];
  private layout = '';
  private headers = new Map<string, HTMLElement>();
  private focused: string | undefined;

  constructor(
    private root: HTMLElement,
    private h: RunListHandlers,
  ) {
    root.addEventListener('keydown', (e) => this.onKey(e));
    root.addEventListener('focus', () => {
      // The listbox itself is only a tab stop while empty; forward focus to the active row.
      const id = this.focused ?? this.order[0];
      if (id) this.rows.get(id)?.focus();
    });
  }

  get focusedRun(): string | undefined {
    return this.focused;
  }
  set focusedRun(id: string | undefined) {
    this.focused = id;
  }

  /** `runs` in display order (grouped); `colorOf` gives each run's colour. */
  render(
    runs: RunSummary[],
    selected: string | undefined,
    colorOf: (runId: string) => string,
    lastFor: (r: RunSummary) => LastValue,
    marks?: ChartMarks,
  ): void {
    const hadFocus = this.root.contains(document.activeElement);
    const next = new Map<string, HTMLElement>();
    const children: HTMLElement[] = [];
    const shown = new Map<string, RowView>();
    const groups = marks?.group ? new Set(runs.map((r) => marks.group!(r.id))) : new Set<string>();
    const headed = groups.size > 1;
    const headers = new Map<string, HTMLElement>();
    let lastGroup: string | undefined;
    runs.forEach((run, i) => {
      const g = marks?.group?.(run.id) ?? '';
      if (headed && g !== lastGroup) {
        const h = this.headers.get(g) ?? el('div', 'run-group', g);
        h.setAttribute('aria-hidden', 'true');
        headers.set(g, h);
        children.push(h);
        lastGroup = g;
      }
      const row = this.rows.get(run.id) ?? this.makeRow(run.id);
      const color = colorOf(run.id);
      const lv = lastFor(run);
      const chart: ChartMark = marks
        ? marks.hidden?.(run.id)
          ? 'hidden'
          : marks.pinned(run.id)
            ? 'pinned'
            : marks.charted(run.id)
              ? 'on'
              : 'off'
        : 'on';
      const view: RowView = { run, selected: run.id === selected, color, last: lv, chart, group: g };
      const was = this.shown.get(run.id);
      // Runs arriving move every run's colour (the palette spreads them over all runs): then only the colour bars
      // are repainted, not each row's text and attributes (which made the page lay out a thousand rows again).
      if (!sameContent(was, view)) this.fill(row, run, i, view.selected, lv, chart, headed ? g : '');
      if (!was || was.color !== color || was.chart !== chart) this.paintSwatch(row, color, chart);
      shown.set(run.id, view);
      next.set(run.id, row);
      children.push(row);
    });
    const order = runs.map((r) => r.id);
    const layout = children.map((c) => c.dataset.runId ?? `#${c.textContent}`).join('\u0000');
    this.rows = next;
    this.shown = shown;
    this.order = order;
    this.headers = headers;
    if (!this.focused || !next.has(this.focused))
      this.focused = selected && next.has(selected) ? selected : this.order[0];
    for (const [id, row] of next) {
      const t = id === this.focused ? 0 : -1;
      if (row.tabIndex !== t) row.tabIndex = t;
    }
    if (layout !== this.layout || this.root.childElementCount !== children.length) reorder(this.root, children);
    this.layout = layout;
    this.root.tabIndex = order.length ? -1 : 0;
    if (hadFocus && this.focused) next.get(this.focused)?.focus();
  }

  private makeRow(runId: string): HTMLElement {
    const row = el('div', 'run-row');
    row.setAttribute('role', 'option');
    const check = el('span', 'run-check');
    check.setAttribute('aria-hidden', 'true');
    check.addEventListener('click', (e) => {
      e.stopPropagation();
      this.setFocus(runId, false);
      this.h.toggle(runId);
    });
    const swatch = el('span', 'swatch');
    swatch.setAttribute('aria-hidden', 'true');
    swatch.addEventListener('click', (e) => {
      e.stopPropagation();
      this.setFocus(runId, false);
      this.h.showHide(runId);
    });
    const main = el('div', 'run-main');
    const l1 = el('div', 'run-line1');
    const parts: RowParts = {
      check,
      swatch,
      label: el('span', 'run-label'),
      badge: el('span', 'badge'),
      params: el('span', 'run-params'),
      last: el('span', 'run-last'),
      forecast: el('span', 'run-forecast'),
    };
    l1.append(parts.label, parts.badge);
    const l2 = el('div', 'run-line2');
    l2.append(parts.params, parts.last, parts.forecast);
    main.append(l1, l2);
    row.append(check, swatch, main);
    this.parts.set(row, parts);
    row.addEventListener('click', () => {
      this.setFocus(runId, false);
      this.h.select(runId);
    });
    return row;
  }

  /** The colour bar: filled in the run's colour when drawn, hollow when not. */
  private paintSwatch(row: HTMLElement, color: string, chart: ChartMark): void {
    const sw = this.parts.get(row)!.swatch;
    // CSSOM style from script is allowed by the CSP (no inline style attribute in markup).
    sw.style.backgroundColor = chart === 'off' || chart === 'hidden' ? 'transparent' : color;
    sw.style.borderColor = color;
  }

  private fill(
    row: HTMLElement,
    run: RunSummary,
    _i: number,
    selected: boolean,
    lv: LastValue,
    chart: ChartMark,
    group: string,
  ): void {
    row.classList.toggle('selected', selected);
    row.classList.toggle('excluded', run.excluded);
    row.setAttribute('aria-selected', String(selected));
    row.setAttribute('aria-checked', String(!run.excluded));
    row.dataset.runId = run.id;
    const p = this.parts.get(row)!;
    p.check.classList.toggle('checked', !run.excluded);
    const sw = p.swatch;
    sw.classList.toggle('off', chart === 'off');
    sw.classList.toggle('pinned', chart === 'pinned');
    sw.classList.toggle('hidden-run', chart === 'hidden');
    sw.title =
      chart === 'pinned'
        ? 'Pinned to the chart (click or H to hide, P to unpin)'
        : chart === 'on'
          ? 'On the chart (click or H to hide, P to pin it there)'
          : chart === 'hidden'
            ? 'Hidden (click or H to show)'
            : 'Not on the chart (click or H to show it)';
    row.classList.toggle('off-chart', chart === 'off');
    row.classList.toggle('hidden-run', chart === 'hidden');
    p.label.textContent = run.label;
    row.title = `${run.relPath} (${run.format})`;
    const badge = p.badge;
    badge.textContent = run.state;
    badge.className = `badge state-${run.state}`;
    badge.title = run.stateReason ?? '';
    p.params.textContent = run.params ? `${formatCompact(run.params)} params` : 'params ?';
    p.params.title = run.paramsSource ? `from ${run.paramsSource}` : '';
    const last =
      lv.value !== undefined
        ? `${lv.metric} ${formatValue(lv.value)}${lv.step !== undefined ? ` @${formatCompact(lv.step)}` : ''}`
        : '';
    p.last.textContent = last;
    p.forecast.textContent = formatForecast(run.forecast);
    p.forecast.title = run.forecast
      ? `${run.forecast.metric} at step ${formatCompact(run.forecast.atStep)} (${run.forecast.lawName})`
      : '';
    const problems = run.problems > 0 ? `, ${run.problems} problem${run.problems > 1 ? 's' : ''}` : '';
    row.setAttribute(
      'aria-label',
      `${run.label}${group ? ` (${group})` : ''}, ${run.state}, ${run.params ? formatCompact(run.params) + ' parameters' : 'parameters unknown'}${last ? ', ' + last : ''}${run.forecast ? ', forecast ' + formatForecast(run.forecast).slice(2) : ''}${run.excluded ? ', excluded from fits' : ', included in fits'}${chart === 'pinned' ? ', pinned to the chart' : chart === 'on' ? ', on the chart' : chart === 'hidden' ? ', hidden on the chart' : ', not on the chart'}${problems}`,
    );
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
      case 'ArrowDown':
        j = Math.min(this.order.length - 1, i + 1);
        break;
      case 'ArrowUp':
        j = Math.max(0, i - 1);
        break;
      case 'Home':
        j = 0;
        break;
      case 'End':
        j = this.order.length - 1;
        break;
      case ' ':
      case 'Spacebar':
        e.preventDefault();
        this.h.toggle(this.order[i]);
        return;
      case 'Enter':
        e.preventDefault();
        this.h.select(this.order[i]);
        return;
      case 'p':
      case 'P':
        e.preventDefault();
        this.h.pin(this.order[i]);
        return;
      case 'h':
      case 'H':
        e.preventDefault();
        this.h.showHide(this.order[i]);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.setFocus(this.order[j]);
  }
}
