// End-to-end on real data: a workspace of the project's own corpora — 90 real training logs from public
// repositories (test/fixtures/real) and 70 published LM training curves (test/fixtures/curves) — opened in the real
// workbench. Every file is dated two days back, as a user's old logs would be. Checks what a user meets first: the
// runs appear (≥ 100), none of these old logs is called live, the dashboard lists them all and draws, and the
// extension host keeps answering. Screenshots in test-results/ (the README's is media/screenshot-real-workspace.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, cpSync, mkdirSync, readdirSync, utimesSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sleep, until, dashboardFrame as frameOf } from './util.mjs';
import { REPO, startCodeServer, launchBrowser, workbenchUrl, remoteUri } from '../harness/codeServer.mjs';

const OUT = path.join(REPO, 'test-results');
mkdirSync(OUT, { recursive: true });
let server, browser, page, workspace, t0;

/** Copies the data files of a corpus (not its scripts, manifests or notes) and dates them two days back. */
function copyCorpus(from, to) {
  const old = Date.now() / 1000 - 2 * 86400;
  const walk = (d, rel) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const src = path.join(d, e.name), dst = path.join(to, rel, e.name);
      if (e.isDirectory()) { walk(src, path.join(rel, e.name)); continue; }
      if (/\.(mjs|md|tsv)$|^(manifest|truth|index|split)\.json$|^\.gitattributes$/.test(e.name)) continue;
      mkdirSync(path.dirname(dst), { recursive: true });
      cpSync(src, dst);
      utimesSync(dst, old, old);
    }
  };
  walk(from, '');
}

before(async () => {
  workspace = mkdtempSync(path.join(tmpdir(), 'scaling-lens-real-'));
  copyCorpus(path.join(REPO, 'test', 'fixtures', 'real'), path.join(workspace, 'logs'));
  copyCorpus(path.join(REPO, 'test', 'fixtures', 'curves'), path.join(workspace, 'curves'));
  server = await startCodeServer({ settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const payload = [['extensionDevelopmentPath', remoteUri(server, REPO)], ['skipWelcome', 'true']];
  t0 = Date.now();
  await page.goto(workbenchUrl(server, workspace, payload));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test('a workspace of 160 real logs and curves: ≥ 100 runs listed, none of the old logs live, the dashboard draws', async () => {
  await sleep(3000);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill('>Scaling Lens: Open Dashboard');
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Scaling Lens: Open Dashboard' }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  const frame = await until(() => frameOf(page), 60_000, 'the dashboard webview');
  const rows = await until(async () => { const n = await frame.locator('.run-row').count(); return n >= 100 ? n : 0; }, 180_000, '≥ 100 runs in the dashboard list');
  const listedAfter = (Date.now() - t0) / 1000;
  await until(async () => (await frame.locator('#chart-runs[data-drawn="true"]').count()) > 0, 60_000, 'a drawn chart');
  await sleep(2000);
  const states = await frame.locator('.run-row .badge').allInnerTexts();
  const count = (s) => states.filter((t) => t.trim().toLowerCase() === s).length; // the badge is upper-cased by CSS
  console.log(`# real workspace: ${rows} runs listed ${listedAfter.toFixed(1)} s after opening; states: ` +
    ['finished', 'stopped', 'diverged', 'stale', 'live'].map((s) => `${s} ${count(s)}`).join(', '));
  await page.screenshot({ path: path.join(OUT, 'e2e-real-workspace.png') });
  assert.ok(rows >= 100, `${rows} runs listed`);
  assert.equal(count('live'), 0, 'logs last written two days ago are not live');
  // The extension host still answers: the runs view lists the corpus folders.
  const tab = page.locator('.activitybar [aria-label^="Scaling Lens"]').first();
  await tab.click();
  await until(async () => (await page.locator('.pane-body .monaco-list-row').allInnerTexts()).some((t) => /\d+ runs?/.test(t)), 30_000, 'the runs view');
  await page.screenshot({ path: path.join(OUT, 'e2e-real-workspace-runs.png') });
  const pts = Number(await frame.locator('#chart-runs').getAttribute('data-points'));
  assert.ok(pts > 0, `${pts} points drawn`);
});
