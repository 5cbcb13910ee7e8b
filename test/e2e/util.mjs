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
