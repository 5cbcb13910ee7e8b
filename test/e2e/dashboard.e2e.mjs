// End-to-end: the real VS Code workbench (code-server) in headless Chromium, driven like a person would.
// Opens a fresh copy of the fixture workspace with the extension loaded in development mode, runs
// "Scaling Lens: Open Dashboard" from the command palette, checks that the chart canvas inside the webview has
// drawn pixels, appends lines to a live log and sees the chart grow, hovers a loss line and reads the
// prediction. Screenshots go to test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, cpSync, mkdirSync, appendFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sleep, until, dashboardFrame as frameOf, runCommand as runCommandIn } from './util.mjs';
import { REPO, startCodeServer, launchBrowser, workbenchUrl, remoteUri } from '../harness/codeServer.mjs';

const OUT = path.join(REPO, 'test-results');
mkdirSync(OUT, { recursive: true });
let server, browser, page, workspace;

const runCommand = (title) => runCommandIn(page, title);

/** Count of canvas pixels that are not fully transparent, sampled on a grid. */
async function drawnPixels(frame) {
  return frame.evaluate(() => {
    const c = document.querySelector('#chart-runs');
    if (!(c instanceof HTMLCanvasElement) || !c.width || !c.height) return 0;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4 * 7) if (data[i] > 0) n++;
    return n;
  });
}

function findLiveLog(dir) {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) {
      const r = findLiveLog(p);
      if (r) return r;
    } else if (p.includes(`${path.sep}live${path.sep}`) && e.endsWith('.log')) return p;
  }
  return undefined;
}

before(async () => {
  workspace = mkdtempSync(path.join(tmpdir(), 'scaling-lens-e2e-'));
  cpSync(path.join(REPO, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  server = await startCodeServer({
    settings: {
      'scalingLens.liveTimeoutSeconds': 600,
      'scalingLens.targetLoss': 3.0,
      'workbench.colorTheme': 'Default Dark Modern',
    },
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server, REPO)],
    ['skipWelcome', 'true'],
  ];
  await page.goto(workbenchUrl(server, workspace, payload));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  console.log(`# e2e: VS Code (code-server ${server.version}) workbench loaded on ${workspace}`);
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

test('Open Dashboard from the palette draws the run chart', async () => {
  await sleep(3000); // let the extension activate and scan
  await runCommand('Scaling Lens: Open Dashboard');
  const frame = await until(() => frameOf(page), 30_000, 'the dashboard webview');
  await until(async () => (await frame.locator('#chart-runs[data-drawn="true"]').count()) > 0, 30_000, 'a drawn chart');
  const px = await until(
    async () => {
      const n = await drawnPixels(frame);
      return n > 500 ? n : 0;
    },
    20_000,
    'chart pixels',
  );
  await page.screenshot({ path: path.join(OUT, 'e2e-dashboard.png') });
  assert.ok(px > 500, `chart canvas has ${px} drawn pixel samples`);
});

test('appending to a live log updates the chart', async () => {
  const frame = await until(() => frameOf(page), 10_000, 'the dashboard webview');
  const live = findLiveLog(workspace);
  assert.ok(live, 'fixture has a live/ log');
  const before = Number(await frame.locator('#chart-runs').getAttribute('data-points'));
  // The series the host sent in its init (Float64Array columns, src/protocol.ts) arrived as numbers and are drawn.
  assert.ok(before > 0, `points drawn from the init: ${before}`);
  const text = readFileSync(live, 'utf8').trimEnd().split('\n');
  const lastIter = Math.max(...text.map((l) => Number(/^iter (\d+):/.exec(l)?.[1] ?? -1)));
  assert.ok(lastIter >= 0, 'live log is nanoGPT-style (iter N: loss …)');
  // Continue the run's own trajectory: a slow decay from its last logged loss.
  const lastLoss = Number(new RegExp(`^iter ${lastIter}: loss ([0-9.]+)`, 'm').exec(text.join('\n'))?.[1]);
  assert.ok(lastLoss > 0, 'last loss found');
  let lines = '';
  for (let k = 1; k <= 20; k++)
    lines += `iter ${lastIter + k}: loss ${(lastLoss * (1 - 0.0004 * k)).toFixed(4)}, time 101.00ms, mfu 30.00%\n`;
  appendFileSync(live, lines);
  const after = await until(
    async () => {
      const n = Number(await frame.locator('#chart-runs').getAttribute('data-points'));
      return n >= before + 20 ? n : 0;
    },
    20_000,
    'the appended points in the chart',
  );
  await page.screenshot({ path: path.join(OUT, 'e2e-live-append.png') });
  assert.ok(after >= before + 20, `points ${before} → ${after}`);
});

test('hovering a loss line shows the predicted final loss', async () => {
  const live = findLiveLog(workspace);
  // Open the live log from the Explorer, like a person would.
  const rel = path.relative(workspace, live).split(path.sep);
  for (const [k, name] of rel.entries()) {
    const row = page
      .locator('.explorer-folders-view .monaco-list-row', {
        hasText: new RegExp(`^\\s*${name.replace('.', '\\.')}\\s*$`),
      })
      .first();
    await row.waitFor({ timeout: 15_000 });
    if (k < rel.length - 1) await row.click();
    else await row.dblclick();
    await sleep(300);
  }
  // Hover a line of the form "iter N: loss …" that is on screen.
  const line = page.locator('.monaco-editor .view-lines .view-line', { hasText: /iter\s\d+:\sloss/ }).nth(3);
  await line.waitFor({ timeout: 20_000 }).catch(async (e) => {
    await page.screenshot({ path: path.join(OUT, 'e2e-hover-failed.png') });
    throw e;
  });
  const hoverText = await until(
    async () => {
      await line.hover({ position: { x: 60, y: 5 } });
      await sleep(1200);
      const h = page.locator('.monaco-hover:visible');
      if (!(await h.count())) return '';
      const t = await h.first().innerText();
      return /Predicted/.test(t) ? t : '';
    },
    45_000,
    'a hover with a prediction',
  );
  await page.screenshot({ path: path.join(OUT, 'e2e-hover.png') });
  assert.match(hoverText, /train\/loss/);
  assert.match(hoverText, /Predicted/);
  assert.match(hoverText, /\d+\.\d+\s–\s\d+\.\d+/, `an interval: ${hoverText}`);
});
