// Screenshots of the dashboard with a workspace of 120 runs in four folders (fake-state.mjs makeManyState):
// panels, palette, grouped run list, a filtered list, a zoomed chart, the Fit details formula (KaTeX), a sweep-point
// tooltip and the exported PNG, into test-results/many-*.png. Exits non-zero on a CSP violation or a page error.
//   node test/webview-preview/many.mjs [--runs 120]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, launchChromium, startPreviewServer } from './server.mjs';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 120;
const out = join(REPO, 'test-results');
mkdirSync(out, { recursive: true });
const srv = await startPreviewServer();
const browser = await launchChromium();
const problems = [];
const shots = [];
try {
  const open = async (theme, tab, extra = '') => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${theme}/${tab}: console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${theme}/${tab}: ${e.message}`));
    await page.goto(`${srv.url}/?state=many&runs=${runs}&theme=${theme}&tab=${tab}${extra}`);
    await page.waitForSelector(`${tab === 'sweep' ? '#chart-sweep' : '#chart-runs'}[data-drawn="true"]`, {
      state: 'attached',
      timeout: 20000,
    });
    await page.waitForTimeout(300);
    return { page, ctx };
  };
  const shot = async (page, name) => {
    const csp = await page.evaluate('window.__csp');
    for (const v of csp) problems.push(`${name}: CSP violation ${v}`);
    const file = join(out, `many-${name}.png`);
    await page.screenshot({ path: file });
    shots.push(file);
  };

  for (const theme of ['dark', 'light']) {
    const { page, ctx } = await open(theme, 'runs');
    console.log(
      `[many] ${theme}: panels ${await page.getAttribute('#chart-runs', 'data-panels')}, runs drawn ${await page.getAttribute('#chart-runs', 'data-runs')}, rows ${await page.locator('.run-row').count()}`,
    );
    await shot(page, `${theme}-runs`);
    if (theme === 'dark') {
      // Hover a point of the first panel for its tooltip.
      const box = await page.locator('#chart-runs').boundingBox();
      await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
      await page.waitForTimeout(200);
      console.log(`[many] curve tooltip: ${await page.getAttribute('#chart-runs', 'data-tooltip')}`);
      await shot(page, 'dark-tooltip');
      // Filter the list and the chart.
      await page.locator('#run-filter input').fill('bert-large -mnli');
      await page.waitForTimeout(300);
      await shot(page, 'dark-filter');
      await page.locator('#run-filter input').fill('');
      // Zoom with a dragged box.
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.8, { steps: 5 });
      await page.mouse.up();
      await page.waitForTimeout(300);
      console.log(
        `[many] reset zoom enabled after a drag: ${!(await page.locator('#reset-zoom').evaluate((e) => e.hasAttribute('disabled')))}`,
      );
      await shot(page, 'dark-zoomed');
      // Export PNG: the posted data URL, written as a file.
      await page.locator('#export-png').click();
      const msgs = await page.evaluate('window.__posted');
      const png = msgs.reverse().find((m) => m.type === 'exportPng');
      if (png) {
        const file = join(out, 'many-export-runs.png');
        writeFileSync(file, Buffer.from(String(png.dataUrl).split(',')[1], 'base64'));
        shots.push(file);
      } else problems.push('no exportPng message');
    }
    await ctx.close();
  }
  {
    const { page, ctx } = await open('dark', 'sweep');
    // Hover across the plot until a sweep point shows its tooltip (data-tooltip mirrors the shown tooltip).
    const box = await page.locator('#chart-sweep').boundingBox();
    let tip = '';
    scan: for (let fy = 0.15; fy < 0.9; fy += 0.03) {
      for (let fx = 0.08; fx < 0.95; fx += 0.015) {
        await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
        tip = (await page.getAttribute('#chart-sweep', 'data-tooltip')) ?? '';
        if (/^gpt-.* \| N /.test(tip)) break scan;
      }
    }
    console.log(`[many] sweep tooltip: ${tip}`);
    await shot(page, 'dark-sweep');
    await page.locator('#export-png').click();
    const msgs = await page.evaluate('window.__posted');
    const png = msgs.reverse().find((m) => m.type === 'exportPng');
    if (png) {
      const file = join(out, 'many-export-sweep.png');
      writeFileSync(file, Buffer.from(String(png.dataUrl).split(',')[1], 'base64'));
      shots.push(file);
    }
    await ctx.close();
  }
  {
    const { page, ctx } = await open('light', 'fit');
    await page.waitForTimeout(300);
    console.log(`[many] KaTeX formulas rendered: ${await page.locator('.formula.rendered .katex').count()}`);
    await shot(page, 'light-fit');
    await ctx.close();
  }
} finally {
  await browser.close();
  await srv.close();
}
for (const f of shots) console.log(`[many] ${f}`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}
