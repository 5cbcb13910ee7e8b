// Helpers shared by the end-to-end tests (not a test file: run-e2e.mjs runs *.e2e.mjs only).
import * as path from 'node:path';
import { cpSync, mkdirSync, readdirSync, utimesSync } from 'node:fs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (or throws after `ms`, naming `what` and the last error). */
export async function until(fn, ms, what, every = 250) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(
        `timed out after ${ms} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    await sleep(every);
  }
}

/**
 * Runs a command from the palette. F1 is pressed again until the palette's input shows: a key press made while focus
 * is passing into a webview (a panel just opened, a side view just closed) can be lost, and the input then stays
 * hidden (seen once on a clean-clone CI, real-workspace test). The command's row may take a while to be listed on a
 * loaded machine (`rowTimeout`).
 */
export async function runCommand(page, title, rowTimeout = 60_000) {
  const input = page.locator('.quick-input-widget input');
  await until(
    async () => {
      if (await input.isVisible()) return true;
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      return true;
    },
    30_000,
    'the command palette',
    0,
  );
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ hasText: title })
    .first()
    .waitFor({ timeout: rowTimeout });
  await page.keyboard.press('Enter');
}

/** The frame of the dashboard webview (nested iframes: webview host → active-frame), or undefined. */
export async function dashboardFrame(page) {
  for (const f of page.frames()) {
    try {
      if (await f.locator('#chart-runs').count()) return f;
    } catch {
      /* detached */
    }
  }
  return undefined;
}

/**
 * Copies the data files of a corpus (not its scripts, manifests or notes) and dates them `ageDays` back, as a
 * user's old logs would be. Used by the real-workspace end-to-end test and the editor bench's first-sweep phase.
 */
export function copyCorpus(from, to, ageDays = 2) {
  const old = Date.now() / 1000 - ageDays * 86400;
  const walk = (d, rel) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const src = path.join(d, e.name),
        dst = path.join(to, rel, e.name);
      if (e.isDirectory()) {
        walk(src, path.join(rel, e.name));
        continue;
      }
      if (/\.(mjs|md|tsv)$|^(manifest|truth|index|split)\.json$|^\.gitattributes$/.test(e.name)) continue;
      mkdirSync(path.dirname(dst), { recursive: true });
      cpSync(src, dst);
      utimesSync(dst, old, old);
    }
  };
  walk(from, '');
}
