/**
 * Issue 15 views in the Sweep tab: downstream metrics (task metric against loss and against compute, with the
 * chained prediction N, D → loss → metric and its band) and the LR × batch-size landscape of a sweep (its optimum,
 * our η*(N, D), B*(D) fits and the published Step Law). Computed by the host on request (`requestLawViews`, when
 * the section is opened or refreshed); drawn here as small SVG charts in theme colours (no inline styles: CSP).
 */
import type { DownstreamTaskView, DownstreamView, HpLandscapeView, ParamView, WebviewMessage } from '../src/protocol';
import type { Theme } from './theme';
import { formatCompact } from './format';
import { publish } from './testProbe';

const SVG = 'http://www.w3.org/2000/svg';

interface Layer {
  kind: 'dots' | 'line' | 'band' | 'marks';
  x: number[];
  y: number[];
  lower?: number[];
  color: string;
  /** marks: the symbol; dots: optional per-point colours */
  symbol?: 'star' | 'cross' | 'diamond' | 'ring';
  colors?: string[];
  titles?: string[];
}

interface PlotSpec {
  xTitle: string;
  yTitle: string;
  xLog?: boolean;
  yLog?: boolean;
  layers: Layer[];
  label: string;
}

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function extent(vals: number[], log: boolean): [number, number] | null {
  const v = vals.filter((x) => Number.isFinite(x) && (!log || x > 0));
  if (!v.length) return null;
  let lo = Math.min(...v),
    hi = Math.max(...v);
  if (log) {
    lo = Math.log10(lo);
    hi = Math.log10(hi);
  }
  if (hi - lo < 1e-12) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = 0.06 * (hi - lo);
  return [lo - pad, hi + pad];
}

/** A small scatter/line chart as SVG. */
export function plot(spec: PlotSpec, theme: Theme, w = 320, h = 220): SVGSVGElement {
  const m = { l: 52, r: 22, t: 10, b: 36 };
  const svg = el('svg', {
    width: w,
    height: h,
    viewBox: `0 0 ${w} ${h}`,
    role: 'img',
    'aria-label': spec.label,
    class: 'lv-plot',
  });
  const xs = spec.layers.flatMap((l) => l.x),
    ys = spec.layers.flatMap((l) => [...l.y, ...(l.lower ?? [])]);
  const ex = extent(xs, !!spec.xLog),
    ey = extent(ys, !!spec.yLog);
  if (!ex || !ey) return svg;
  const tx = (x: number) => m.l + (((spec.xLog ? Math.log10(x) : x) - ex[0]) / (ex[1] - ex[0])) * (w - m.l - m.r);
  const ty = (y: number) => h - m.b - (((spec.yLog ? Math.log10(y) : y) - ey[0]) / (ey[1] - ey[0])) * (h - m.t - m.b);
  const ok = (x: number, y: number) =>
    Number.isFinite(x) && Number.isFinite(y) && (!spec.xLog || x > 0) && (!spec.yLog || y > 0);
  svg.appendChild(
    el('rect', { x: m.l, y: m.t, width: w - m.l - m.r, height: h - m.t - m.b, fill: 'none', stroke: theme.grid }),
  );
  const tick = (v: number, log: boolean) => formatCompact(log ? 10 ** v : v);
  for (let i = 0; i <= 3; i++) {
    const fx = ex[0] + (i / 3) * (ex[1] - ex[0]),
      fy = ey[0] + (i / 3) * (ey[1] - ey[0]);
    const px = m.l + (i / 3) * (w - m.l - m.r),
      py = h - m.b - (i / 3) * (h - m.t - m.b);
    const t1 = el('text', { x: px, y: h - m.b + 13, 'text-anchor': 'middle', fill: theme.muted, 'font-size': 10 });
    t1.textContent = tick(fx, !!spec.xLog);
    const t2 = el('text', { x: m.l - 4, y: py + 3, 'text-anchor': 'end', fill: theme.muted, 'font-size': 10 });
    t2.textContent = tick(fy, !!spec.yLog);
    svg.append(t1, t2);
  }
  const xt = el('text', { x: (m.l + w - m.r) / 2, y: h - 4, 'text-anchor': 'middle', fill: theme.fg, 'font-size': 11 });
  xt.textContent = spec.xTitle;
  const yt = el('text', {
    x: 12,
    y: (m.t + h - m.b) / 2,
    'text-anchor': 'middle',
    fill: theme.fg,
    'font-size': 11,
    transform: `rotate(-90 12 ${(m.t + h - m.b) / 2})`,
  });
  yt.textContent = spec.yTitle;
  svg.append(xt, yt);
  for (const l of spec.layers) {
    if (l.kind === 'band' && l.lower) {
      const up: string[] = [],
        down: string[] = [];
      l.x.forEach((x, i) => {
        if (ok(x, l.y[i]) && ok(x, l.lower![i])) {
          up.push(`${tx(x)},${ty(l.y[i])}`);
          down.unshift(`${tx(x)},${ty(l.lower![i])}`);
        }
      });
      if (up.length > 1)
        svg.appendChild(
          el('polygon', { points: [...up, ...down].join(' '), fill: l.color, 'fill-opacity': 0.18, stroke: 'none' }),
        );
    } else if (l.kind === 'line') {
      const pts = l.x.map((x, i) => (ok(x, l.y[i]) ? `${tx(x)},${ty(l.y[i])}` : '')).filter(Boolean);
      if (pts.length > 1)
        svg.appendChild(el('polyline', { points: pts.join(' '), fill: 'none', stroke: l.color, 'stroke-width': 1.6 }));
    } else {
      l.x.forEach((x, i) => {
        if (!ok(x, l.y[i])) return;
        const cx = tx(x),
          cy = ty(l.y[i]);
        let shape: SVGElement;
        if (l.kind === 'dots') shape = el('circle', { cx, cy, r: 3, fill: l.colors?.[i] ?? l.color });
        else if (l.symbol === 'cross')
          shape = el('path', {
            d: `M${cx - 5},${cy - 5}L${cx + 5},${cy + 5}M${cx - 5},${cy + 5}L${cx + 5},${cy - 5}`,
            stroke: l.color,
            'stroke-width': 2,
          });
        else if (l.symbol === 'diamond')
          shape = el('path', {
            d: `M${cx},${cy - 6}L${cx + 6},${cy}L${cx},${cy + 6}L${cx - 6},${cy}Z`,
            fill: 'none',
            stroke: l.color,
            'stroke-width': 2,
          });
        else if (l.symbol === 'ring')
          shape = el('circle', { cx, cy, r: 5.5, fill: 'none', stroke: l.color, 'stroke-width': 1.2 });
        else shape = el('path', { d: star(cx, cy), fill: l.color });
        if (l.titles?.[i]) {
          const t = el('title', {});
          t.textContent = l.titles[i];
          shape.appendChild(t);
        }
        svg.appendChild(shape);
      });
    }
  }
  return svg;
}

function star(cx: number, cy: number, r = 7): string {
  const p: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5,
      rr = i % 2 ? r * 0.45 : r;
    p.push(`${cx + rr * Math.cos(a)},${cy + rr * Math.sin(a)}`);
  }
  return `M${p.join('L')}Z`;
}

function num(v: number): string {
  return Number.isFinite(v) ? (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(3)) : '–';
}

function params(ps: ParamView[]): string {
  return ps
    .map(
      (p) =>
        `${p.name} = ${num(p.value)}${p.lower !== undefined && p.upper !== undefined ? ` [${num(p.lower)}, ${num(p.upper)}]` : ''}`,
    )
    .join(', ');
}

function para(cls: string, text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = cls;
  p.textContent = text;
  return p;
}

export class LawViews {
  readonly root: HTMLDetailsElement;
  private readonly down: HTMLDivElement;
  private readonly hp: HTMLDivElement;
  private downView?: DownstreamView;
  private hpView?: HpLandscapeView;
  private requested = false;

  constructor(
    parent: HTMLElement,
    private readonly post: (m: WebviewMessage) => void,
    private theme: Theme,
  ) {
    this.root = document.createElement('details');
    this.root.className = 'law-views';
    this.root.id = 'law-views';
    const summary = document.createElement('summary');
    summary.textContent = 'Downstream metrics and hyperparameters';
    const refresh = document.createElement('vscode-button');
    refresh.setAttribute('secondary', '');
    refresh.id = 'law-views-refresh';
    refresh.textContent = 'Refresh';
    refresh.addEventListener('click', () => this.request());
    this.down = document.createElement('div');
    this.down.className = 'lv-downstream';
    this.down.id = 'lv-downstream';
    this.hp = document.createElement('div');
    this.hp.className = 'lv-hp';
    this.hp.id = 'lv-hp';
    this.root.append(summary, refresh, this.down, this.hp);
    this.root.addEventListener('toggle', () => {
      if (this.root.open && !this.requested) this.request();
    });
    parent.appendChild(this.root);
  }

  request(): void {
    this.requested = true;
    this.down.replaceChildren(para('muted note', 'Computing…'));
    this.post({ type: 'requestLawViews' });
  }

  setTheme(t: Theme): void {
    this.theme = t;
    if (this.downView) this.showDownstream(this.downView);
    if (this.hpView) this.showLandscape(this.hpView);
  }

  showDownstream(v: DownstreamView): void {
    this.downView = v;
    const t = this.theme;
    const out: Node[] = [para('section-title', 'Downstream metrics')];
    for (const n of v.notes) out.push(para('muted note', n));
    for (const task of v.tasks) out.push(this.task(task, t));
    this.down.replaceChildren(...out);
  }

  private task(task: DownstreamTaskView, t: Theme): HTMLElement {
    const box = document.createElement('div');
    box.className = 'lv-task';
    publish(box, { metric: task.metric });
    const name = task.metric.replace(/^eval\//, '');
    box.appendChild(para('lv-title', `${name} — ${task.points.length} point(s)`));
    const pts = task.points;
    const vsLoss: Layer[] = [];
    if (task.fit) {
      vsLoss.push({
        kind: 'band',
        x: task.fit.curve.x,
        y: task.fit.curve.upper,
        lower: task.fit.curve.lower,
        color: t.blue,
      });
      vsLoss.push({ kind: 'line', x: task.fit.curve.x, y: task.fit.curve.y, color: t.blue });
    }
    vsLoss.push({
      kind: 'dots',
      x: pts.map((p) => p.loss),
      y: pts.map((p) => p.value),
      color: t.fg,
      titles: pts.map((p) => `${p.label} step ${p.step}: loss ${num(p.loss)}, ${name} ${num(p.value)}`),
    });
    const withC = pts.filter((p) => p.C !== undefined);
    const vsC: Layer[] = [];
    if (task.chain) {
      vsC.push({ kind: 'band', x: task.chain.C, y: task.chain.upper, lower: task.chain.lower, color: t.purple });
      vsC.push({ kind: 'line', x: task.chain.C, y: task.chain.value, color: t.purple });
      if (task.chain.at && task.chain.at.axis === 'C')
        vsC.push({
          kind: 'marks',
          symbol: 'star',
          x: [task.chain.at.x],
          y: [task.chain.at.value],
          color: t.orange,
          titles: [`predicted at C = ${formatCompact(task.chain.at.x)}`],
        });
    }
    vsC.push({
      kind: 'dots',
      x: withC.map((p) => p.C!),
      y: withC.map((p) => p.value),
      color: t.fg,
      titles: withC.map((p) => `${p.label} step ${p.step}: C ${formatCompact(p.C!)}`),
    });
    const row = document.createElement('div');
    row.className = 'lv-row';
    row.append(
      plot({ xTitle: 'loss', yTitle: name, layers: vsLoss, label: `${name} against loss` }, t),
      plot({ xTitle: 'compute C (FLOPs)', yTitle: name, xLog: true, layers: vsC, label: `${name} against compute` }, t),
    );
    box.appendChild(row);
    if (task.fit)
      box.appendChild(
        para(
          'muted note',
          `${task.fit.lawName}: ${params(task.fit.params)}${task.fit.warnings.length ? ` — ${task.fit.warnings[0]}` : ''}`,
        ),
      );
    else if (task.reason) box.appendChild(para('muted note', `No loss → metric law: ${task.reason}`));
    if (task.chain?.at) {
      const a = task.chain.at;
      box.appendChild(
        para(
          'prediction lv-chain',
          `Chained prediction at ${a.axis} = ${formatCompact(a.x)}: loss ${num(a.loss)} → ${name} ${num(a.value)} (${num(a.lower)} – ${num(a.upper)})`,
        ),
      );
    } else if (task.chain)
      box.appendChild(
        para(
          'muted note',
          'Purple: the sweep law’s compute-optimal frontier carried through the metric law (N, D → loss → metric); predict a loss above to see the chain at one point.',
        ),
      );
    else if (task.fit) box.appendChild(para('muted note', 'No chained prediction: fit a law across the sweep first.'));
    return box;
  }

  showLandscape(v: HpLandscapeView): void {
    this.hpView = v;
    const t = this.theme;
    const out: Node[] = [para('section-title', 'Learning rate × batch size')];
    if (v.sources.length) out.push(para('muted note', `Sweep: ${v.sources.join(', ')}`));
    out.push(
      para('note lv-published', `Published Step Law (${v.published.source}): ${v.published.lr}; ${v.published.bs}`),
    );
    if (v.fitted)
      out.push(
        para(
          'note lv-fitted',
          `Fitted here: η* = c·N^α·D^β with ${params(v.fitted.lr)}; B* = c·D^γ with ${params(v.fitted.bs)}`,
        ),
      );
    for (const w of v.warnings) out.push(para('muted note', w));
    const grid = document.createElement('div');
    grid.className = 'lv-row lv-cells';
    for (const c of v.cells) {
      const best = c.best.loss;
      const worst = Math.max(...c.runs.map((r) => r.loss));
      const shade = (loss: number) => mix(t.green, t.muted, worst > best ? (loss - best) / (worst - best) : 0);
      const layers: Layer[] = [
        {
          kind: 'dots',
          x: c.runs.map((r) => r.lr),
          y: c.runs.map((r) => r.bs),
          color: t.muted,
          colors: c.runs.map((r) => shade(r.loss)),
          titles: c.runs.map((r) => `lr ${num(r.lr)}, batch ${formatCompact(r.bs)}: loss ${num(r.loss)}`),
        },
        {
          kind: 'marks',
          symbol: 'ring',
          x: c.runs.filter((r) => r.nearOptimal).map((r) => r.lr),
          y: c.runs.filter((r) => r.nearOptimal).map((r) => r.bs),
          color: t.green,
        },
        {
          kind: 'marks',
          symbol: 'star',
          x: [c.best.lr],
          y: [c.best.bs],
          color: t.green,
          titles: [`best run: loss ${num(best)}`],
        },
        {
          kind: 'marks',
          symbol: 'diamond',
          x: [c.published.lr],
          y: [c.published.bs],
          color: t.orange,
          titles: [`published Step Law: η* ${num(c.published.lr)}, B* ${formatCompact(c.published.bs)}`],
        },
      ];
      if (c.fitted)
        layers.push({
          kind: 'marks',
          symbol: 'cross',
          x: [c.fitted.lr],
          y: [c.fitted.bs],
          color: t.blue,
          titles: [`fitted: η* ${num(c.fitted.lr)}, B* ${formatCompact(c.fitted.bs)}`],
        });
      const cell = document.createElement('div');
      cell.className = 'lv-cell';
      cell.append(
        para('lv-title', `N = ${formatCompact(c.N)}, D = ${formatCompact(c.D)}`),
        plot(
          {
            xTitle: 'learning rate',
            yTitle: 'batch (tokens)',
            xLog: true,
            yLog: true,
            layers,
            label: `LR × batch landscape at N = ${formatCompact(c.N)}, D = ${formatCompact(c.D)}`,
          },
          t,
          260,
          200,
        ),
      );
      grid.appendChild(cell);
    }
    out.push(grid);
    if (v.cells.length)
      out.push(
        para(
          'muted note',
          'Dots: runs (green = lower loss); rings: near-optimal runs (within 0.25 % of the cell’s best); star: best run; blue cross: our fit; orange diamond: published Step Law.',
        ),
      );
    this.hp.replaceChildren(...out);
  }
}

/** Linear mix of two #rrggbb colours (other colour syntaxes fall back to `a`). */
function mix(a: string, b: string, t: number): string {
  const p = (c: string) => (/^#[0-9a-f]{6}$/i.test(c) ? [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) : null);
  const x = p(a),
    y = p(b);
  if (!x || !y) return a;
  const u = Math.max(0, Math.min(1, t));
  return `#${x
    .map((v, i) =>
      Math.round(v + (y[i] - v) * u)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
