// Helpers shared by the end-to-end tests (not a test file: run-e2e.mjs runs *.e2e.mjs only).

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (or throws after `ms`, naming `what` and the last error). */
export async function until(fn, ms, what, every = 250) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await sleep(every);
  }
}

/** The frame of the dashboard webview (nested iframes: webview host → active-frame), or undefined. */
export async function dashboardFrame(page) {
  for (const f of page.frames()) {
    try { if (await f.locator('#chart-runs').count()) return f; } catch { /* detached */ }
  }
  return undefined;
}
