// The demo's smoke check (`npm run demo -- --smoke`): the packaged extension, installed into code-server with
// --install-extension, must activate in the real workbench and list every run of the sample workspace in its
// Runs view. Driven with Debian's headless Chromium (playwright-core); nothing is downloaded.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from '../test/harness/codeServer.mjs';

const LOGS = /\.(log|jsonl|csv|json|txt|out)$/;

/**
 * Names of the sample's run folders: the folders that hold a log (a sweep's summary table is not a run), minus the
 * top-level folders the sample's own settings exclude (`"laws/**"`: tables for the CLI's table laws).
 */
export function sampleRunNames(root) {
  const names = [];
  const settings = path.join(root, '.vscode', 'settings.json');
  const excluded = new Set(
    (existsSync(settings) ? (JSON.parse(readFileSync(settings, 'utf8'))['scalingLens.exclude'] ?? []) : [])
      .map((g) => /^([\w.-]+)\/\*\*$/.exec(g)?.[1])
      .filter(Boolean)
      .map((d) => path.join(root, d)),
  );
  const walk = (d) => {
    if (excluded.has(d)) return;
    const es = readdirSync(d, { withFileTypes: true });
    if (d !== root && es.some((e) => e.isFile() && LOGS.test(e.name) && e.name !== 'points.csv'))
      names.push(path.basename(d));
    for (const e of es) if (e.isDirectory() && !e.name.startsWith('.')) walk(path.join(d, e.name));
  };
  walk(root);
  return names.sort();
}

export async function smokeCheck({ url, sample, out, timeoutMs = 180_000 }) {
  const want = sampleRunNames(sample);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  let seen = [];
  try {
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    const tab = page.locator('.activitybar [aria-label^="Scaling Lens"]').first();
    await tab.waitFor({ timeout: 60_000 });
    await tab.click();
    const end = Date.now() + timeoutMs;
    for (;;) {
      const rows = await page
        .locator('[id="workbench.view.extension.scalingLens"] .monaco-list-row, .pane-body .monaco-list-row')
        .allInnerTexts();
      seen = want.filter((n) => rows.some((r) => r.includes(n)));
      if (seen.length === want.length) break;
      if (Date.now() > end) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    mkdirSync(out, { recursive: true });
    await page.screenshot({ path: path.join(out, 'demo-smoke.png') });
  } catch (e) {
    try {
      mkdirSync(out, { recursive: true });
      await page.screenshot({ path: path.join(out, 'demo-smoke.png') });
    } catch {
      /* page gone */
    }
    await browser.close().catch(() => {});
    return { ok: false, message: `${e.message.split('\n')[0]} (screenshot: test-results/demo-smoke.png)` };
  }
  await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 5000))]);
  const missing = want.filter((n) => !seen.includes(n));
  return missing.length === 0
    ? { ok: true, message: `the Runs view lists all ${want.length} sample runs (${want.join(', ')})` }
    : {
        ok: false,
        message: `the Runs view lists ${seen.length} of ${want.length} sample runs; missing: ${missing.join(', ')} (screenshot: test-results/demo-smoke.png)`,
      };
}
