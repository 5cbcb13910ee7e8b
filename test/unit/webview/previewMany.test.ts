// The dashboard with a workspace of 120 runs in four folders, in headless Chromium through the preview harness
// (real HTML and CSP, fake host; state from fake-state.mjs makeManyState): panels per metric and level, distinct
// colours, grouped list, the filter box, legend and colour-bar show/hide, zoom and reset, point tooltips on curves
// and sweep points, KaTeX formulas without CSP violations, and a PNG export that adds title, law and legend.
// Polls with bounded waits; nothing depends on how fast the machine is.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { matchesFilter } from '../../../webview/grouping';

type Server = { url: string; close(): Promise<void> };
type ManyState = { runs: { id: string; label: string; group: string; relPath: string }[]; charted: string[] };
let srv: Server;
let browser: Browser;
let page: Page;
let state: ManyState;
const problems: string[] = [];

before(async () => {
  const m = await import('../../webview-preview/server.mjs');
  const fake = await import('../../webview-preview/fake-state.mjs');
  state = fake.makeManyState(120) as ManyState;
  srv = await m.startPreviewServer();
  browser = await m.launchChromium();
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await ctx.newPage();
  page.on('pageerror', (e) => problems.push(e.message));
});
after(async () => {
  await browser?.close();
  await srv?.close();
});

async function until(what: string, check: () => Promise<boolean>, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const attr = async (sel: string, name: string) => (await page.getAttribute(sel, name)) ?? '';
const posted = () => page.evaluate('window.__posted') as Promise<{ type: string; [k: string]: unknown }[]>;

async function open(query: string): Promise<void> {
  await page.goto(`${srv.url}/?state=many&${query}`);
  await page.evaluate('sessionStorage.clear()');
  await page.goto(`${srv.url}/?state=many&${query}`);
  await page.waitForSelector('#chart-runs[data-drawn="true"]', { state: 'attached', timeout: 30_000 });
}

/** PNG width and height from its IHDR chunk. */
function pngSize(dataUrl: string): { w: number; h: number } {
  const b = Buffer.from(dataUrl.split(',')[1], 'base64');
  return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
}

test('120 runs: three panels (pretraining, fine-tunes, detection), 120 listed under 4 folders, 120 distinct colours', async () => {
  await open('theme=dark');
  assert.equal(await attr('#chart-runs', 'data-panels'), '3');
  assert.equal(await attr('#chart-runs', 'data-runs'), '30', 'the 30 charted runs are drawn');
  assert.equal(await page.locator('#runs-panels canvas').count(), 3);
  assert.equal(await page.locator('.run-row').count(), 120);
  assert.deepEqual(await page.locator('.run-group').allTextContents(), [
    'ablations/lr',
    'detection/yolo',
    'finetune/glue',
    'sweeps/chinchilla',
  ]);
  const colors = (await page.evaluate(
    `[...document.querySelectorAll('.run-row .swatch')].map((e) => getComputedStyle(e).borderTopColor)`,
  )) as string[];
  assert.equal(new Set(colors).size, 120);
  assert.match((await page.textContent('#runs-note')) ?? '', /3 panels/);
});

test('filter box narrows the list and the chart; legend and colour bar hide and show runs', async () => {
  const q = 'bert-large -mnli';
  const expected = state.runs.filter((r) => matchesFilter(r, q));
  const expectedCharted = expected.filter((r) => state.charted.includes(r.id)).length;
  await page.locator('#run-filter input').fill(q);
  await until('the filtered list', async () => (await page.locator('.run-row').count()) === expected.length);
  await until('the filtered chart', async () => (await attr('#chart-runs', 'data-runs')) === String(expectedCharted));
  await page.locator('#run-filter input').fill('');
  await until('all rows back', async () => (await page.locator('.run-row').count()) === 120);
  await until('all runs drawn', async () => (await attr('#chart-runs', 'data-runs')) === '30');

  // The fine-tune panel lists its runs in the legend: clicking the first hides that run, clicking again shows it.
  const second = page.locator('#runs-panels canvas').nth(1);
  const legend = JSON.parse((await second.getAttribute('data-legend')) ?? '[]') as {
    text: string;
    x: number;
    y: number;
  }[];
  assert.ok(legend.length >= 2, `legend items: ${JSON.stringify(legend)}`);
  const first = legend[0];
  await second.click({ position: { x: first.x, y: first.y } });
  await until('a run hidden from the legend', async () => (await attr('#chart-runs', 'data-runs')) === '29');
  const row = page.locator('.run-row', { hasText: first.text });
  assert.equal(await row.evaluate((e) => e.classList.contains('hidden-run')), true, 'the list shows it hidden');
  // A smoothing change recomputes the runs on show only (issue 17); the hidden run catches up when shown again.
  const hiddenId = state.runs.find((r) => r.label === first.text)!.id;
  const smoothed = async () =>
    JSON.parse((await second.getAttribute('data-smoothed')) ?? '{}') as Record<string, { w: number; off: number }>;
  const before = await smoothed();
  assert.ok(before[hiddenId] && Object.keys(before).length >= 2, JSON.stringify(before));
  await page.evaluate(`window.__send({ type: 'options', options: { smoothing: 0.6 } })`);
  await until('the shown runs smoothed', async () =>
    Object.entries(await smoothed()).some(([id, v]) => id !== hiddenId && v.w > 0),
  );
  const during = await smoothed();
  for (const [id, v] of Object.entries(during))
    if (id !== hiddenId) assert.ok(v.w > 0, `${id} is shown, so smoothed: ${JSON.stringify(during)}`);
  assert.equal(during[hiddenId].w, before[hiddenId].w, 'the hidden run keeps its weight');
  await row.locator('.swatch').click();
  await until('shown again from the colour bar', async () => (await attr('#chart-runs', 'data-runs')) === '30');
  await until('the run shown again is smoothed', async () => (await smoothed())[hiddenId].w > 0);
  await page.evaluate(`window.__send({ type: 'options', options: { smoothing: ${JSON.stringify(0)} } })`);
  await until('smoothing off again', async () => Object.values(await smoothed()).every((v) => v.w === 0));
  // The pretraining panel holds 16 runs: its legend lists the two folders, each toggling all its runs.
  const top = JSON.parse(await attr('#chart-runs', 'data-legend')) as { text: string; x: number; y: number }[];
  const ablations = top.find((i) => i.text.startsWith('ablations/lr'));
  assert.ok(ablations, JSON.stringify(top));
  const inAblations = state.charted.filter((id) => id.startsWith('ablations-lr')).length;
  await page.locator('#chart-runs').click({ position: { x: ablations.x, y: ablations.y } });
  await until('a folder hidden', async () => (await attr('#chart-runs', 'data-runs')) === String(30 - inAblations));
  await page.locator('#chart-runs').click({ position: { x: ablations.x, y: ablations.y } });
  await until('the folder shown', async () => (await attr('#chart-runs', 'data-runs')) === '30');
});

test('curve tooltips name the run, the step and the value; zoom enables Reset zoom, which undoes it', async () => {
  const c = page.locator('#chart-runs');
  const box = (await c.boundingBox())!;
  let tip = '';
  for (let fx = 0.1; fx < 0.5 && !/step .* · val\/loss \d/.test(tip); fx += 0.05) {
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * 0.6);
    await until('a tooltip', async () => (await c.getAttribute('data-tooltip')) !== null, 3000).catch(() => undefined);
    tip = (await c.getAttribute('data-tooltip')) ?? '';
  }
  const labels = new Set(state.runs.map((r) => r.label));
  const [title, body] = tip.split(' | ');
  assert.ok(labels.has(title), `tooltip title is a run: ${tip}`);
  assert.match(body, /^step [\d.]+k? · val\/loss \d+\.\d{3}$/);

  assert.equal(await page.locator('#reset-zoom').evaluate((e) => e.hasAttribute('disabled')), true);
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6);
  await page.mouse.wheel(0, -400);
  await until(
    'Reset zoom enabled',
    async () => !(await page.locator('#reset-zoom').evaluate((e) => e.hasAttribute('disabled'))),
  );
  await page.locator('#reset-zoom').click();
  await until('Reset zoom disabled', async () =>
    page.locator('#reset-zoom').evaluate((e) => e.hasAttribute('disabled')),
  );
});

test('PNG export adds a title, the law and a legend around the charts', async () => {
  const canvases = (await page.evaluate(
    `[...document.querySelectorAll('#runs-panels canvas')].map((e) => e.height)`,
  )) as number[];
  await page.locator('#export-png').click();
  const png = (await posted()).filter((m) => m.type === 'exportPng').at(-1)!;
  const { h } = pngSize(String(png.dataUrl));
  const charts = canvases.reduce((a, b) => a + b, 0);
  // Title (24) + at least the law and parameter lines (2 × 18) + a legend row (18) more than the charts alone.
  assert.ok(h >= charts + 24 + 36 + 18, `export ${h} px high, charts ${charts} px`);
});

test('sweep points have tooltips with run, N, D and loss; formulas render with KaTeX; no CSP violation', async () => {
  await page.click('vscode-tab-header.tab-sweep');
  await page.waitForSelector('#chart-sweep[data-drawn="true"]', { state: 'attached', timeout: 10_000 });
  const c = page.locator('#chart-sweep');
  const box = (await c.boundingBox())!;
  // Hover the drawn points the chart reports (data-hit), waiting for each hover's tooltip to be drawn: no scan of
  // the canvas racing the chart's frame-throttled event handling on a loaded machine.
  await until('the sweep points', async () => JSON.parse((await c.getAttribute('data-hit')) ?? '[]').length > 0);
  const hits = JSON.parse((await c.getAttribute('data-hit'))!) as { x: number; y: number }[];
  let tip = '';
  for (const h of hits) {
    await page.mouse.move(box.x + h.x, box.y + h.y);
    try {
      await until('a tooltip', async () => (tip = (await c.getAttribute('data-tooltip')) ?? '') !== '', 3000);
    } catch {
      continue;
    }
    if (/\| N /.test(tip)) break;
  }
  assert.match(tip, /^gpt-\d+M \| N \d+(\.\d+)?[MB] · D 20B \| final loss \d\.\d{3} \| click to exclude$/);

  await page.click('vscode-tab-header.tab-fit');
  await until('KaTeX output', async () => (await page.locator('.formula.rendered .katex').count()) === 2);
  // MathML for screen readers, and the LaTeX source as the tooltip.
  assert.equal(await page.locator('.formula.rendered math').count(), 2);
  assert.match((await page.locator('.formula.rendered').nth(1).getAttribute('title')) ?? '', /\\frac\{A\}/);
  // The KaTeX fonts load under font-src (a blocked font would be a CSP violation).
  await until('fonts loaded', async () => (await page.evaluate(`document.fonts.status`)) === 'loaded');
  assert.ok(
    await page.evaluate(`[...document.fonts].some((f) => f.family.includes('KaTeX') && f.status === 'loaded')`),
  );
  assert.deepEqual(await page.evaluate('window.__csp'), []);
  assert.deepEqual(problems, []);
});

test('a run arriving among 120 moves the colours: only the colour bars of the other rows are repainted', async () => {
  await open('theme=dark');
  await page.click('vscode-tab-header.tab-runs');
  const colours = () =>
    page.evaluate(`[...document.querySelectorAll('.run-row .swatch')].map((e) => getComputedStyle(e).borderTopColor)`);
  const before = (await colours()) as string[];
  // Rows whose text or structure changed (a fill rewrites every text of its row), and rows whose colour bar did.
  await page.evaluate(`(() => {
    window.__filled = new Set(); window.__painted = new Set();
    const rowOf = (n) => (n.nodeType === 1 ? n : n.parentElement)?.closest('.run-row');
    new MutationObserver((ms) => { for (const m of ms) {
      const row = rowOf(m.target); if (!row) continue;
      if (m.type === 'attributes' && m.attributeName === 'style' && m.target.classList.contains('swatch')) window.__painted.add(row.dataset.runId);
      else if (m.type === 'childList' || m.type === 'characterData') window.__filled.add(row.dataset.runId);
    } }).observe(document.getElementById('run-list'), { subtree: true, childList: true, characterData: true, attributes: true });
  })()`);
  const s = state.runs[0];
  const id = `${s.id}-more`;
  await page.evaluate(
    `window.__send({ type: 'run', run: { id: ${JSON.stringify(id)}, label: 'one-more', relPath: ${JSON.stringify(`${s.group}/one-more.log`)}, group: ${JSON.stringify(s.group)}, format: 'nanogpt', state: 'finished', excluded: false, metrics: ['train/loss'], problems: 0, metric: 'train/loss' } })`,
  );
  await until('the new row', async () => (await page.locator('.run-row').count()) === 121);
  const after = ((await colours()) as string[]).slice();
  const moved = before.filter((c, i) => c !== after[i]).length;
  assert.ok(moved > 10, `the palette moved ${moved} colours (the test needs it to)`);
  const filled = (await page.evaluate('[...window.__filled]')) as string[];
  const painted = (await page.evaluate('window.__painted.size')) as number;
  // (the new row is filled before it is inserted, so it is not among them)
  assert.deepEqual(filled, [], `no row already shown was filled again: ${filled.length} were`);
  assert.ok(painted >= moved, `${painted} colour bars repainted`);
});
