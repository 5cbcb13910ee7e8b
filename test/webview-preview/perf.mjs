// Performance probe (not part of the unit run): streams 10M points (5 runs × 2M, in 200k-point `points` messages)
// into the preview dashboard and prints how long appends, option changes, selection and theme switches take.
//   node test/webview-preview/perf.mjs
import { startPreviewServer, launchChromium } from './server.mjs';
const srv = await startPreviewServer();
const b = await launchChromium();
const page = await (await b.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(srv.url + '/?theme=dark');
await page.waitForSelector('#chart-runs[data-drawn="true"]', { state: 'attached' });
const t0 = Date.now();
await page.evaluate(`(() => {
  const runs = ['run-20m','run-45m','run-85m','run-350m','run-760m'];
  for (const r of runs) {
    let step = 20000;
    for (let k = 0; k < 10; k++) {
      const n = 200000, s = new Array(n), y = new Array(n), t = new Array(n);
      for (let j = 0; j < n; j++) { step += 1; s[j] = step; t[j] = step * 5e5; y[j] = 3 + 50 / Math.sqrt(step) + 0.02 * Math.sin(j); }
      window.__send({ type: 'points', runId: r, metric: 'val/loss', step: s, tokens: t, y });
    }
  }
})()`);
const want = 10_000_000;
while (Number(await page.getAttribute('#chart-runs', 'data-points')) < want) await new Promise((r) => setTimeout(r, 100));
console.log('10M appended+drawn in', Date.now() - t0, 'ms');
const m = await page.evaluate(`(async () => {
  const t = performance.now(); window.__send({ type: 'points', runId: 'run-20m', metric: 'val/loss', step: [3000000], tokens: [1.5e12], y: [3.01] });
  await new Promise(r => setTimeout(r, 60)); await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t;
})()`);
console.log('one live append at 10M:', Math.round(m), 'ms (incl 40ms coalesce); flush', await page.getAttribute('#chart-runs', 'data-draw-ms'));
for (const opt of [{ logX: true }, { xAxis: 'tokens', logX: false, smoothing: 0.9 }]) {
  const t = Date.now();
  await page.evaluate(`window.__send(${JSON.stringify({ type: 'options', options: opt })})`);
  await page.evaluate(`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`);
  console.log('option', JSON.stringify(opt), Date.now() - t, 'ms');
}
{ const t = Date.now(); await page.locator('.run-row', { hasText: 'gpt-45M' }).click(); await page.evaluate(`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`); console.log('select at 10M', Date.now() - t, 'ms; flush', await page.getAttribute('#chart-runs', 'data-draw-ms')); }
{ const t = Date.now(); await page.evaluate(`document.body.className = 'vscode-light'`); await page.evaluate(`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`); console.log('theme at 10M', Date.now() - t, 'ms; flush', await page.getAttribute('#chart-runs', 'data-draw-ms')); }
const mem = await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize/1e6 : -1');
console.log('heap MB', Math.round(mem));
await page.screenshot({ path: new URL('../../test-results/webview-perf-10M.png', import.meta.url).pathname });
await b.close(); await srv.close();
