// Probe: a thousand runs arriving in the open dashboard, as the 10,000-file integration test sends them (the host's
// outbox flushes `run` summaries in ~150 batches, a `charted` change now and then), then a ping. Prints how long the
// webview takes to handle everything and answer, the last flush's draw time, and (--cpu-prof) the top self-time entries.
// `busyMs` is the time beyond the probe's own pauses between batches (16 ms each, as the host's flush timer spaces
// them). `npm run bench -- --only webview` runs it at 1,000 runs and at 100 (the same-run baseline).
//   node test/webview-preview/manyRunsArrive.mjs [--runs 1000] [--batches 150] [--cpu-prof] [--json]
import { startPreviewServer, launchChromium } from './server.mjs';
import { sampleTimes, topSelfTime } from './cpuProfile.mjs';

const arg = (n, d) => {
  const i = process.argv.indexOf(n);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const N = arg('--runs', 1000);
const B = arg('--batches', 150);
const prof = process.argv.includes('--cpu-prof');
const srv = await startPreviewServer({ build: !process.argv.includes('--no-build') });
const b = await launchChromium();
try {
  const page = await (await b.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(srv.url + '/?theme=dark');
  await page.waitForSelector('#chart-runs[data-drawn="true"]', { state: 'attached' });
  const cdp = await page.context().newCDPSession(page);
  if (prof) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  const r = await page.evaluate(`(async () => {
    const N = ${N}, B = ${B};
    const run = (i) => ({ id: '/ws/many/f' + i + '.log', label: 'f' + i + '.log', relPath: 'many/f' + i + '.log', group: 'many',
      format: 'generic-text', params: null, tokens: null, lastStep: 3, lastValue: 2.5, totalSteps: null, metric: 'train/loss',
      state: 'finished', excluded: false, metrics: ['train/loss'], problems: 0 });
    const t0 = performance.now();
    const per = Math.ceil(N / B);
    for (let k = 0; k < B; k++) {
      const msgs = [];
      for (let i = k * per; i < Math.min(N, (k + 1) * per); i++) msgs.push({ type: 'run', run: run(i) });
      if (k % 10 === 9) msgs.push({ type: 'charted', runIds: Array.from({ length: 30 }, (_, j) => '/ws/many/f' + (k * per - j) + '.log') });
      window.__send({ type: 'batch', messages: msgs });
      await new Promise((ok) => setTimeout(ok, 16));
    }
    const sent = performance.now() - t0;
    const before = window.__posted.length;
    window.__send({ type: 'ping', id: 7 });
    await new Promise((ok) => { const iv = setInterval(() => { if (window.__posted.slice(before).some((m) => m.type === 'pong')) { clearInterval(iv); ok(); } }, 5); });
    const pong = window.__posted.slice(before).find((m) => m.type === 'pong');
    const totalMs = performance.now() - t0;
    return { runs: N, batches: B, sentMs: sent, totalMs, busyMs: totalMs - 16 * B, drawMs: pong.drawMs, rows: document.querySelectorAll('#run-list > *').length };
  })()`);
  console.log(JSON.stringify(r));
  if (prof) {
    const { profile } = await cdp.send('Profiler.stop');
    for (const [k, us] of topSelfTime(profile, 25)) console.log(String(Math.round(us / 1000)).padStart(8), 'ms', k);
    const dt = sampleTimes(profile);
    // callers of the top native entries (who forces layout)
    const parent = new Map();
    for (const nd of profile.nodes) for (const c of nd.children ?? []) parent.set(c, nd);
    const byCaller = new Map();
    for (const nd of profile.nodes) {
      if (!['getBoundingClientRect', 'fit', 'replaceChildren'].includes(nd.callFrame.functionName)) continue;
      const chain = [];
      for (let q = parent.get(nd.id); q && chain.length < 6; q = parent.get(q.id))
        chain.push(`${q.callFrame.functionName}:${q.callFrame.lineNumber + 1}`);
      const key = `${nd.callFrame.functionName} <- ${chain.join(' <- ')}`;
      byCaller.set(key, (byCaller.get(key) ?? 0) + (dt.get(nd.id) ?? 0));
    }
    for (const [k, us] of [...byCaller].sort((a, b) => b[1] - a[1]).slice(0, 8))
      console.log(String(Math.round(us / 1000)).padStart(8), 'ms', k);
  }
} finally {
  await b.close();
  await srv.close();
}
