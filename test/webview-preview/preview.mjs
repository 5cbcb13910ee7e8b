// Development preview: builds the webview, serves it with a fake VS Code host, and screenshots the dashboard in the
// light, dark and high-contrast themes into test-results/webview-*.png.
//   node test/webview-preview/preview.mjs           screenshots, then exit
//   node test/webview-preview/preview.mjs --serve   keep serving (prints the URL) for manual use
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, launchChromium, startPreviewServer } from './server.mjs';

const serve = process.argv.includes('--serve');
const srv = await startPreviewServer();
if (serve) {
  console.log(
    `[preview] ${srv.url}/?theme=dark   (themes: light, dark, hc; &tab=runs|sweep|fit; &init=empty; &live=1 streams points)`,
  );
} else {
  const out = join(REPO, 'test-results');
  mkdirSync(out, { recursive: true });
  const browser = await launchChromium();
  const problems = [];
  try {
    const shots = [
      ['light', 'runs'],
      ['dark', 'runs'],
      ['hc', 'runs'],
      ['dark', 'sweep'],
      ['light', 'sweep'],
      ['dark', 'fit'],
      ['light', 'fit'],
      ['hc', 'fit'],
      ['dark', 'runs', 'empty'],
      ['dark', 'runs', '', 'log', { xAxis: 'compute', logX: true, logY: true, smoothing: 0.9 }],
      ['light', 'runs', '', 'tokens', { xAxis: 'tokens', smoothing: 0.6, metric: 'train/loss' }],
      [
        'dark',
        'runs',
        '',
        'focus',
        {},
        async (page) => {
          await page.focus('.run-row.selected');
          await page.keyboard.press('ArrowDown');
        },
      ],
      [
        'light',
        'sweep',
        '',
        'C-predict',
        {},
        async (page) => {
          await page.click('#sweep-axis');
          await page.keyboard.press('ArrowDown');
          await page.keyboard.press('ArrowDown');
          await page.keyboard.press('Enter');
          await page.evaluate(`(() => { const f = window.__PREVIEW_STATE__.sweepFit;
          window.__send({ type: 'sweepFit', fit: { ...f, prediction: { axis: 'C', at: 1e22, value: 2.21, lower: 2.17, upper: 2.26, N: 1.2e10, D: 1.4e11 } } }); })()`);
        },
      ],
    ];
    shots.push(['dark', 'runs', '', 'narrow', {}, undefined, { width: 560, height: 900 }]);
    shots.push([
      'hc',
      'runs',
      '',
      'select',
      {},
      async (page) => {
        await page.focus('.run-row.selected');
        await page.keyboard.press('ArrowUp');
      },
    ]);
    for (const [theme, tab, init, variant, opts, act, viewport] of shots) {
      const ctx = await browser.newContext({
        viewport: viewport ?? { width: 1280, height: 800 },
        deviceScaleFactor: 1,
      });
      const page = await ctx.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning')
          problems.push(`${theme}/${tab}: console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`${theme}/${tab}: ${e.message}`));
      const q = opts && Object.keys(opts).length ? `&opts=${encodeURIComponent(JSON.stringify(opts))}` : '';
      await page.goto(`${srv.url}/?theme=${theme}&tab=${tab}${init ? `&init=${init}` : ''}${q}`);
      if (!init) {
        const canvas = tab === 'sweep' ? '#chart-sweep' : '#chart-runs';
        await page.waitForSelector(`${canvas}[data-drawn="true"]`, { state: 'attached', timeout: 10000 });
      }
      if (act) await act(page);
      await page.waitForTimeout(300);
      const csp = await page.evaluate('window.__csp');
      for (const v of csp) problems.push(`${theme}/${tab}: CSP violation ${v}`);
      const file = join(out, `webview-${theme}-${tab}${init ? `-${init}` : ''}${variant ? `-${variant}` : ''}.png`);
      await page.screenshot({ path: file });
      console.log(`[preview] ${file}`);
      await ctx.close();
    }
  } finally {
    await browser.close();
    await srv.close();
  }
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  }
}
