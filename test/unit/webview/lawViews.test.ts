// The Sweep tab's "Downstream metrics and hyperparameters" section in headless Chromium (preview harness: real HTML
// and CSP, fake host): opening it posts requestLawViews; the views computed by src/model/lawViews.ts (from a sweep
// drawn around the Step Law and downstream scores from a known sigmoid) are drawn as SVG — one point per score and
// per sweep run, the fitted curve, the chain and the markers — with no CSP violation or page error, in every theme.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { downstreamView, hpLandscapeView, lossAt } from '../../../src/model/lawViews';
import type { DownstreamView, HpLandscapeView, SweepFitView } from '../../../src/protocol';
import type { Run } from '../../../src/ingest/types';
import { seriesFrom } from '../../../src/ingest/series';
import { parseCsv } from '../../../src/fit/csv';
import { REPO } from '../helpers/paths';

let srv: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
const problems: string[] = [];
let down: DownstreamView;
let hp: HpLandscapeView;

before(async () => {
  const m = await import('../../webview-preview/server.mjs');
  srv = await m.startPreviewServer();
  browser = await m.launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 1400 } })).newPage();
  page.on('pageerror', (e) => problems.push(e.message));
  // The views, from the real computation.
  const sig = (L: number) => -0.55 / (1 + Math.exp(-5 * (L - 3))) + 0.8;
  const runs: Run[] = [];
  const ev = new Map<Run, Record<string, { step: number[]; value: number[] }>>();
  for (const k of [0, 1, 2]) {
    const step = Array.from({ length: 40 }, (_, i) => (i + 1) * 100);
    const loss = step.map((s) => 2.2 + 3 * (s / 100) ** -0.35 - 0.3 * k);
    const r: Run = {
      id: `r${k}`,
      path: `/w/r${k}/train.log`,
      format: 'nanogpt',
      metrics: { 'val/loss': seriesFrom('val/loss', 'val/loss', step, loss) },
      meta: {},
    };
    runs.push(r);
    const es = [500, 1500, 2500, 4000];
    ev.set(r, { 'eval/hellaswag/acc': { step: es, value: es.map((s) => sig(lossAt(step, loss, s)!)) } });
  }
  const sweepFit = {
    ok: true,
    points: [],
    frontier: { C: [1e18, 1e19, 1e20, 1e21], loss: [3.5, 3.1, 2.8, 2.6], N: [], D: [] },
    prediction: { axis: 'C', at: 1e20, value: 2.8, lower: 2.7, upper: 2.9 },
  } as unknown as SweepFitView;
  down = await downstreamView(
    {
      runs,
      downstreamOf: (r) => ev.get(r) ?? {},
      metricOf: () => 'val/loss',
      params: () => 1e8 * 3,
      tokensAt: (_r, s) => s * 5e5,
      label: (r) => r.id,
    },
    sweepFit,
    { bootstrap: 30 },
  );
  const { header, rows } = parseCsv(
    fs.readFileSync(path.join(REPO, 'sample-workspace/laws/hyperparameter-sweep.csv'), 'utf8'),
  );
  const at = (r: string[], k: string) => +r[header.indexOf(k)];
  hp = await hpLandscapeView(
    rows.map((r) => ({ N: at(r, 'N'), D: at(r, 'D'), lr: at(r, 'lr'), bs: at(r, 'batch_size'), loss: at(r, 'loss') })),
    ['laws/hyperparameter-sweep.csv'],
    { bootstrap: 30 },
  );
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

for (const theme of ['dark', 'light', 'hc']) {
  test(`the section asks for the views when opened and draws them (${theme})`, async () => {
    await page.goto(`${srv.url}/?theme=${theme}&tab=sweep`);
    await page.waitForSelector('#chart-sweep[data-drawn="true"]', { state: 'attached', timeout: 30_000 });
    await page.click('#law-views > summary');
    await until('requestLawViews', async () =>
      ((await page.evaluate('window.__posted')) as { type: string }[]).some((m) => m.type === 'requestLawViews'),
    );
    await page.evaluate(
      `window.__send(${JSON.stringify({
        type: 'batch',
        messages: [
          { type: 'downstream', view: down },
          { type: 'hpLandscape', view: hp },
        ],
      })})`,
    );
    await until('the views', async () => (await page.locator('#lv-hp .lv-cell').count()) === hp.cells.length);
    const task = page.locator('#lv-downstream .lv-task').first();
    // scores: one dot each in the loss chart and (all have compute) in the compute chart
    const nScores = down.tasks[0].points.length;
    assert.equal(await task.locator('svg').nth(0).locator('circle').count(), nScores);
    assert.equal(await task.locator('svg').nth(1).locator('circle').count(), nScores);
    assert.equal(await task.locator('svg').nth(0).locator('polyline').count(), 1, 'the fitted law');
    assert.equal(await task.locator('svg').nth(1).locator('polyline').count(), 1, 'the chain along the frontier');
    assert.match((await task.locator('.lv-chain').textContent()) ?? '', /Chained prediction at C = /);
    // landscape: every sweep run a dot (plus a ring for each near-optimal one)
    const runsDrawn = await page.locator('#lv-hp .lv-cell svg circle[r="3"]').count();
    assert.equal(
      runsDrawn,
      hp.cells.reduce((n, c) => n + c.runs.length, 0),
    );
    assert.match((await page.locator('#lv-hp .lv-published').textContent()) ?? '', /1\.79/);
    assert.deepEqual(await page.evaluate('window.__csp'), []);
    assert.deepEqual(problems, []);
    if (process.env.LAWVIEWS_SHOT)
      await page.locator('#law-views').screenshot({ path: `${process.env.LAWVIEWS_SHOT}-${theme}.png` });
  });
}
