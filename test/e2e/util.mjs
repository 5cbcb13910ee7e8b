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
 * Runs a command from the palette. The palette is opened (F1) and the title typed again until the command's row is
 * listed: a key press made while focus is passing into a webview (a panel just opened, a side view just closed) can
 * be lost, leaving the input hidden (seen once on a clean-clone CI, real-workspace test), and a title typed while the
 * palette is still opening can leave it listing nothing (seen in about 1 run in 5 of chart-export's first test,
 * locally and on a loaded CI). Each try waits 15 s for the row; all tries together `timeout`.
 */
export async function runCommand(page, title, timeout = 90_000) {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await until(
    async () => {
      try {
        if (!(await input.isVisible())) {
          await page.keyboard.press('F1');
          await input.waitFor({ state: 'visible', timeout: 3_000 });
        }
        await input.fill(`>${title}`);
        await row.waitFor({ timeout: 15_000 });
        return true;
      } catch (e) {
        await page.keyboard.press('Escape'); // close the palette; the next try opens it afresh
        throw e;
      }
    },
    timeout,
    `the command '${title}' in the palette`,
    0,
  );
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
