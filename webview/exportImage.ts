/**
 * PNG exports that stand on their own: a title, the fitted law with its parameters, the chart(s) and a legend of
 * what is drawn, painted onto one canvas (layout in ./exportLayout).
 */
import { legendRows, wrapText, SWATCH, SWATCH_GAP, type LegendItem, type Measure } from './exportLayout';

export type { LegendItem } from './exportLayout';

export interface ExportSpec {
  title: string;
  /** Lines under the title: the law and its parameters (plain text, no LaTeX). */
  lines: string[];
  /** Chart images, stacked, each drawn at width × height (CSS pixels) with an optional caption (a panel's title). */
  charts: { canvas: CanvasImageSource; width: number; height: number; caption?: string }[];
  legend: LegendItem[];
  colors: { bg: string; fg: string; muted: string };
  font: string;
  /** Device pixels per CSS pixel of the output (window.devicePixelRatio keeps the charts sharp). */
  scale?: number;
  /** When given, every text painted is appended to it, in order (for the end-to-end test's probe). */
  painted?: string[];
}

/** Draws the export onto a new canvas (browser only). */
export function compose(spec: ExportSpec, doc: Document = document): HTMLCanvasElement {
  const pad = 16,
    lineH = 18,
    titleH = 24,
    captionH = 18;
  const width = Math.max(480, ...spec.charts.map((c) => c.width)) + 2 * pad;
  const inner = width - 2 * pad;
  const canvas = doc.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  const font = (size: number, weight = '') => `${weight} ${size}px ${spec.font}`.trim();
  ctx.font = font(13);
  const measure: Measure = (t) => ctx.measureText(t).width;
  const textLines = spec.lines.flatMap((l) => wrapText(l, inner, measure));
  const rows = legendRows(spec.legend, inner, measure);
  const chartsH = spec.charts.reduce((h, c) => h + c.height + (c.caption ? captionH : 0), 0);
  const height =
    pad + titleH + textLines.length * lineH + 8 + chartsH + (rows.length ? 8 + rows.length * lineH : 0) + pad;
  const k = spec.scale && spec.scale > 0 ? spec.scale : 1;
  canvas.width = Math.round(width * k);
  canvas.height = Math.round(height * k);
  ctx.scale(k, k);
  ctx.fillStyle = spec.colors.bg;
  ctx.fillRect(0, 0, width, height);
  ctx.textBaseline = 'middle';
  let y = pad + titleH / 2;
  ctx.fillStyle = spec.colors.fg;
  ctx.font = font(16, '600');
  ctx.fillText(spec.title, pad, y);
  spec.painted?.push(spec.title);
  y += titleH / 2;
  ctx.font = font(13);
  ctx.fillStyle = spec.colors.fg;
  for (const l of textLines) {
    ctx.fillText(l, pad, y + lineH / 2);
    spec.painted?.push(l);
    y += lineH;
  }
  y += 8;
  for (const c of spec.charts) {
    if (c.caption) {
      ctx.fillStyle = spec.colors.muted;
      ctx.fillText(c.caption, pad, y + captionH / 2);
      spec.painted?.push(c.caption);
      y += captionH;
    }
    ctx.drawImage(c.canvas, pad, y, c.width, c.height);
    y += c.height;
  }
  if (rows.length) {
    y += 8;
    for (const row of rows) {
      for (const { index, x } of row) {
        const it = spec.legend[index];
        ctx.strokeStyle = it.color;
        ctx.lineWidth = 3;
        ctx.setLineDash(it.dashed ? [4, 3] : []);
        ctx.beginPath();
        ctx.moveTo(pad + x, y + lineH / 2);
        ctx.lineTo(pad + x + SWATCH, y + lineH / 2);
        ctx.stroke();
        ctx.fillStyle = spec.colors.fg;
        ctx.fillText(it.label, pad + x + SWATCH + SWATCH_GAP, y + lineH / 2);
        spec.painted?.push(it.label);
      }
      y += lineH;
    }
    ctx.setLineDash([]);
  }
  return canvas;
}
