/**
 * The dashboard webview's HTML (pure: no `vscode` import, so it is unit-tested and reused by the preview harness).
 *
 * Content-Security-Policy, directive by directive:
 * - `default-src 'none'`: nothing that is not listed below (no fetch/XHR/websocket, no frames, no workers).
 * - `img-src ${cspSource} data:`: chart exports are produced with `canvas.toDataURL` (data:), icons from the extension.
 * - `style-src ${cspSource} 'nonce-…'`: `media/dashboard.css` from the extension. No 'unsafe-inline' is needed:
 *   @vscode-elements styles its shadow roots with constructable stylesheets (`adoptedStyleSheets`, not governed by
 *   style-src), and chart.js sizes its canvas through `element.style` (CSSOM), which CSP allows; only literal
 *   `<style>` elements and `style="…"` attributes in markup would need 'unsafe-inline', and there are none.
 * - `font-src ${cspSource}`: fonts shipped with the extension only (KaTeX's, in dist/katex/fonts). KaTeX builds formulas
 *   with DOM calls and sets sizes through `element.style` (CSSOM), so it needs neither 'unsafe-inline' nor 'unsafe-eval'.
 * - `script-src 'nonce-…'`: exactly the two bundles below. No 'unsafe-eval' (chart.js and Lit do not eval), no
 *   'unsafe-inline', no remote origins.
 *
 * The static skeleton lives here; `webview/main.ts` fills it by id. Nothing from logs is ever put in this string.
 */
import { randomBytes } from 'node:crypto';

export interface DashboardHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** From `makeNonce()`, fresh for every HTML load. */
  nonce: string;
  /** `webview.asWebviewUri(dist/webview.js)`. */
  scriptUri: string;
  /** `webview.asWebviewUri(dist/vscode-elements.js)`. */
  elementsUri: string;
  /** `webview.asWebviewUri(media/dashboard.css)`. */
  styleUri: string;
  /** `webview.asWebviewUri(dist/katex/katex.min.css)`: KaTeX's stylesheet, whose fonts sit next to it (font-src). */
  katexStyleUri?: string;
  title: string;
}

/** 128 bits from the OS CSPRNG, hex (safe inside a CSP source expression and an attribute). */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The CSP string on its own (exported for tests and for hosts that also want to send it as a header). */
export function dashboardCsp(cspSource: string, nonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('dashboardHtml: invalid nonce');
  // A cspSource with ';' , quotes or newlines could inject directives.
  if (!cspSource || /[;,"\r\n<>]/.test(cspSource)) throw new Error('dashboardHtml: invalid cspSource');
  return [
    `default-src 'none'`,
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function dashboardHtml(o: DashboardHtmlOptions): string {
  const csp = dashboardCsp(o.cspSource, o.nonce);
  const n = escapeHtml(o.nonce);
  const a = (s: string) => escapeHtml(s);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(o.styleUri)}">${
    o.katexStyleUri
      ? `
<link rel="stylesheet" href="${a(o.katexStyleUri)}">`
      : ''
  }
<title>${a(o.title)}</title>
</head>
<body>
<main id="app" class="app" aria-label="${a(o.title)}">
  <div id="empty" class="empty" hidden>
    <p class="empty-title">No runs yet — Scaling Lens is watching your workspace for logs</p>
    <p class="empty-hint">Training logs (nanoGPT, Megatron, Hugging Face trainer_state.json, CSV/JSONL metrics, TensorBoard, MLflow, W&amp;B offline) appear here as soon as they are written.</p>
  </div>
  <vscode-tabs id="tabs" selected-index="0" class="tabs">
    <vscode-tab-header slot="header" class="tab-runs">Runs</vscode-tab-header>
    <vscode-tab-panel class="panel-runs">
      <div class="runs-layout">
        <section class="run-list-wrap" aria-label="Runs">
          <div class="section-head"><span class="section-title">Runs</span><span id="run-count" class="muted"></span>
            <vscode-button id="reveal-log" secondary aria-label="Reveal the selected run's log file">Reveal log</vscode-button></div>
          <vscode-textfield id="run-filter" class="run-filter" placeholder="Filter runs (name, folder; -word excludes)" aria-label="Filter runs by name or folder: every word must match, a word starting with - excludes"></vscode-textfield>
          <div id="run-list" class="run-list" role="listbox" aria-label="Runs: arrow keys move, Space includes or excludes from fits, Enter selects, H shows or hides on the chart, P pins to the chart" tabindex="0"></div>
        </section>
        <section class="chart-section" aria-label="Learning curves">
          <div class="controls" role="group" aria-label="Chart options">
            <label class="control"><span class="control-label">Metric</span>
              <vscode-single-select id="metric" aria-label="Metric"></vscode-single-select></label>
            <label class="control"><span class="control-label">X axis</span>
              <vscode-single-select id="x-axis" aria-label="X axis">
                <vscode-option value="step">step</vscode-option>
                <vscode-option value="tokens">tokens</vscode-option>
                <vscode-option value="compute">compute (FLOPs)</vscode-option>
                <vscode-option value="time">time (hours)</vscode-option>
              </vscode-single-select></label>
            <vscode-checkbox id="log-x" label="Log x" aria-label="Logarithmic x axis"></vscode-checkbox>
            <vscode-checkbox id="log-y" label="Log y" aria-label="Logarithmic y axis"></vscode-checkbox>
            <label class="control smoothing" title="Debiased EMA weight (as in TensorBoard); a short series is smoothed over at most a tenth of its points"><span class="control-label">Smoothing</span>
              <input id="smoothing" type="range" min="0" max="0.99" step="0.01" value="0" aria-label="EMA smoothing weight">
              <output id="smoothing-value" for="smoothing">0.00</output></label>
            <label class="control target"><span class="control-label">Target loss</span>
              <vscode-textfield id="target-loss" placeholder="none" aria-label="Target loss (Enter to set, empty to clear)"></vscode-textfield></label>
            <vscode-button id="reset-zoom" secondary disabled title="Wheel or drag a box to zoom, Shift+drag to pan, double-click to reset" aria-label="Reset zoom (wheel or drag a box to zoom, Shift+drag to pan)">Reset zoom</vscode-button>
          </div>
          <div id="runs-panels" class="chart-box panels panels-1"><div class="panel"><canvas id="chart-runs" role="img" aria-label="Learning curves: no data"></canvas></div></div>
          <p id="runs-note" class="muted note"></p>
        </section>
      </div>
    </vscode-tab-panel>
    <vscode-tab-header slot="header" class="tab-sweep">Sweep</vscode-tab-header>
    <vscode-tab-panel class="panel-sweep">
      <section class="chart-section" aria-label="Sweep">
        <div class="controls" role="group" aria-label="Sweep options">
          <label class="control"><span class="control-label">Loss vs</span>
            <vscode-single-select id="sweep-axis" aria-label="Sweep x axis">
              <vscode-option value="N">parameters N</vscode-option>
              <vscode-option value="D">tokens D</vscode-option>
              <vscode-option value="C">compute C</vscode-option>
            </vscode-single-select></label>
          <span class="spacer"></span>
          <form id="predict-form" class="predict" aria-label="Predict loss">
            <span class="control-label">Predict loss at</span>
            <vscode-textfield id="predict-value" placeholder="e.g. 7B, 1.4T, 1e21" aria-label="Value to predict at"></vscode-textfield>
            <vscode-single-select id="predict-axis" aria-label="Predict along">
              <vscode-option value="N">N</vscode-option>
              <vscode-option value="D">D</vscode-option>
              <vscode-option value="C">C</vscode-option>
            </vscode-single-select>
            <vscode-button id="predict-go" aria-label="Predict">Predict</vscode-button>
          </form>
        </div>
        <p id="prediction" class="prediction" role="status" aria-live="polite"></p>
        <div class="chart-box"><canvas id="chart-sweep" role="img" aria-label="Sweep: no data"></canvas></div>
        <p id="sweep-note" class="muted note"></p>
      </section>
    </vscode-tab-panel>
    <vscode-tab-header slot="header" class="tab-fit">Fit details</vscode-tab-header>
    <vscode-tab-panel class="panel-fit">
      <div class="fit-layout">
        <section class="fit-card" aria-labelledby="curve-fit-title">
          <div class="fit-head">
            <h2 id="curve-fit-title">Learning-curve fit</h2>
            <label class="control"><span class="control-label">Law</span>
              <vscode-single-select id="curve-law" aria-label="Learning-curve law"></vscode-single-select></label>
          </div>
          <div id="curve-fit"></div>
        </section>
        <section class="fit-card" aria-labelledby="sweep-fit-title">
          <div class="fit-head">
            <h2 id="sweep-fit-title">Sweep fit</h2>
            <label class="control"><span class="control-label">Law</span>
              <vscode-single-select id="sweep-law" aria-label="Sweep law"></vscode-single-select></label>
          </div>
          <div id="sweep-fit"></div>
        </section>
      </div>
    </vscode-tab-panel>
    <div slot="addons" class="actions" role="toolbar" aria-label="Export">
      <vscode-button id="export-png" secondary aria-label="Export the current chart as PNG">Export PNG</vscode-button>
      <vscode-button id="export-csv" secondary aria-label="Export the data as CSV">Export CSV</vscode-button>
      <vscode-button id="copy-md" secondary aria-label="Copy the fitted law as Markdown">Copy Markdown</vscode-button>
      <vscode-button id="copy-latex" secondary aria-label="Copy the fitted law as LaTeX">Copy LaTeX</vscode-button>
    </div>
  </vscode-tabs>
  <footer id="status" class="status" role="status" aria-live="polite"></footer>
</main>
<script type="module" nonce="${n}" src="${a(o.elementsUri)}"></script>
<script defer nonce="${n}" src="${a(o.scriptUri)}"></script>
</body>
</html>
`;
}
