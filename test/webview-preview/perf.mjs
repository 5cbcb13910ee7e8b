// Performance probe of the real webview bundle in headless Chromium (not part of the unit run; `npm run bench --
// --only webview` runs it for the bench rows). Loads the preview dashboard, makes the data in the page first (not
// timed), then times, in the page (performance.now() to the frame after the chart is drawn):
//   stream  — the points arriving as live `points` messages of 200k (how a growing log reaches the chart), until drawn;
//   first   — the same points as one `series` message per run (a newly charted run, a re-read log), until drawn;
//   logX / smoothing / xAxis — one option change each, until redrawn;
//   zoom    — the x range narrowed to a tenth (as the zoom plugin does), until redrawn;
//   append  — one live point on top of everything, until redrawn (its message → flush → draw, no coalescing wait).
// Phases of the stream are split into time in the store (appending to the series), in the chart (transform +
// decimate + draw: the flush's data-draw-ms, summed) and the rest (message cloning, dispatch).
// Memory: the page's JS heap (Chrome DevTools protocol, after a full GC) with the preview's own state loaded and
// again after the first draw; the difference is what the points cost the webview (store, chart caches). Buffers
// of typed arrays count (the protocol reports them apart from the heap: backingStorageSize, added here).
// --cpu-prof <file>: CPU profiles of the first draw, the live append and each option change (DevTools .cpuprofile, as
// <file>-first…, <file>-append…, <file>-logX…), their top self-time entries printed (and in --json as `profile`).
//   node test/webview-preview/perf.mjs [--points 10000000] [--runs 5] [--json] [--cpu-prof first.cpuprofile]
import { writeFileSync } from 'node:fs';
import { startPreviewServer, launchChromium } from './server.mjs';
import { topSelfTime } from './cpuProfile.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const total = arg('--points', 10_000_000);
const nRuns = arg('--runs', 5);
const json = process.argv.includes('--json');
const log = (...a) => {
  if (!json) console.log(...a);
};

const srv = await startPreviewServer({ build: !process.argv.includes('--no-build') });
const b = await launchChromium();
try {
  const page = await (await b.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  page.on('crash', () => console.error('page crashed'));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('console', m.text());
  });
  const cdp = await page.context().newCDPSession(page);
  /** The page's JS heap after a full GC, in MB: V8's used heap plus the ArrayBuffers' backing stores (typed arrays). */
  const heapMB = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const h = await cdp.send('Runtime.getHeapUsage');
    return (h.usedSize + (h.backingStorageSize ?? 0)) / 1e6;
  };
  const cpuProf = (() => {
    const i = process.argv.indexOf('--cpu-prof');
    return i > 0 ? process.argv[i + 1] : undefined;
  })();
  /** CPU profile of one phase (--cpu-prof): written next to the given file, its top self-time entries printed. */
  const profStart = async () => {
    if (!cpuProf) return;
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  };
  const profStop = async (name) => {
    if (!cpuProf) return;
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(cpuProf.replace(/(\.cpuprofile)?$/, `-${name}.cpuprofile`), JSON.stringify(profile));
    // Self time per function (summed over the profile's nodes), top 12.
    const top = topSelfTime(profile, 12);
    out.profile = { ...out.profile, [name]: top.map(([k, us]) => ({ fn: k, ms: Math.round(us / 100) / 10 })) };
    log(`${name}, top self time:`);
    for (const t of out.profile[name]) log(`  ${String(t.ms).padStart(8)} ms  ${t.fn}`);
  };
  let base = 0;
  const open = async () => {
    await page.goto(srv.url + '/?theme=dark');
    await page.waitForSelector('#chart-runs[data-drawn="true"]', { state: 'attached' });
    base = Number(await page.getAttribute('#chart-runs', 'data-points'));
    await page.evaluate(`(() => {
      window.__perf = { runs: ['run-20m','run-45m','run-85m','run-350m','run-760m'].slice(0, ${nRuns}) };
      // Resolves once data-points reaches n and the frame after it is painted; time from t0.
      window.__perf.until = (n, t0) => new Promise((ok) => {
        const c = document.getElementById('chart-runs');
        const check = () => Number(c.dataset.points) >= n;
        const done = () => requestAnimationFrame(() => requestAnimationFrame(() => ok(performance.now() - t0)));
        if (check()) return done();
        const mo = new MutationObserver(() => { if (check()) { mo.disconnect(); done(); } });
        mo.observe(c, { attributeFilter: ['data-points'] });
      });
      // One redraw after a message: the flush's frame, then the next two (painted).
      window.__perf.redraw = (m) => { const t0 = performance.now(); window.__send(m); return new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => ok(performance.now() - t0))))); };
      // The points of run r, in chunks of 200k (the data, made before any timing).
      window.__perf.make = (r, chunk) => {
        const per = Math.floor(${total} / window.__perf.runs.length), out = [];
        let step = 20000;
        for (let k = 0; k < per; k += chunk) {
          // Float64Array columns, as the host posts them (src/protocol.ts Column).
          const n = Math.min(chunk, per - k), s = new Float64Array(n), y = new Float64Array(n), t = new Float64Array(n);
          for (let j = 0; j < n; j++) { step += 1; s[j] = step; t[j] = step * 5e5; y[j] = 3 + 50 / Math.sqrt(step) + 0.02 * Math.sin(step); }
          out.push({ runId: r, metric: 'val/loss', step: s, tokens: t, y });
        }
        return out;
      };
    })()`);
  };
  const want = () => base + Math.floor(total / nRuns) * nRuns;
  const out = { points: total, runs: nRuns };

  // 1. First draw: every run's points as one `series` message (a newly charted run, a re-read log).
  await open();
  const heapBefore = await heapMB();
  await profStart();
  out.first = await page.evaluate(`(async () => {
    const c = document.getElementById('chart-runs');
    const full = window.__perf.runs.map((r) => window.__perf.make(r, 1e12)[0]);
    // These runs' own points (from the preview state) go first: the chart then holds the other runs' only.
    for (const r of window.__perf.runs) window.__send({ type: 'series', series: { runId: r, metric: 'val/loss', step: new Float64Array(0), y: new Float64Array(0) } });
    await window.__perf.redraw({ type: 'status', text: '' });
    const want = Number(c.dataset.points) + full.reduce((n, s) => n + s.y.length, 0);
    const t0 = performance.now();
    for (const s of full) window.__send({ type: 'series', series: s });
    const ms = await window.__perf.until(want, t0);
    return { ms, flushMs: Number(c.dataset.drawMs) };
  })()`);
  log(
    `first draw of ${total} points as ${nRuns} series messages: ${Math.round(out.first.ms)} ms (its flush ${out.first.flushMs} ms)`,
  );
  await profStop('first');
  const heapAfter = await heapMB();
  out.memory = { beforeMB: heapBefore, afterFirstMB: heapAfter, pointsMB: heapAfter - heapBefore };
  log(
    `webview heap: ${Math.round(heapBefore)} MB before, ${Math.round(heapAfter)} MB after the first draw (${Math.round(heapAfter - heapBefore)} MB for the points)`,
  );

  await profStart();
  out.append = await page.evaluate(`(async () => {
    const c = document.getElementById('chart-runs');
    const n = Number(c.dataset.points);
    const t0 = performance.now();
    const step = 20000 + Math.floor(${total} / window.__perf.runs.length) + 1;
    window.__send({ type: 'points', runId: window.__perf.runs[0], metric: 'val/loss', step: Float64Array.of(step), tokens: Float64Array.of(step * 5e5), y: Float64Array.of(3.01) });
    const ms = await window.__perf.until(n + 1, t0);
    return { ms, flushMs: Number(c.dataset.drawMs) };
  })()`);
  await profStop('append');
  log(`one live append on top: ${Math.round(out.append.ms)} ms (flush ${out.append.flushMs} ms)`);

  const opt = async (name, options) => {
    await profStart();
    const ms = await page.evaluate(`window.__perf.redraw(${JSON.stringify({ type: 'options', options })})`);
    await profStop(name);
    out[name] = { ms, flushMs: Number(await page.getAttribute('#chart-runs', 'data-draw-ms')) };
    log(`option ${JSON.stringify(options)}: ${Math.round(ms)} ms (flush ${out[name].flushMs} ms)`);
  };
  await opt('logX', { logX: true });
  await opt('logXOff', { logX: false });
  await opt('smoothing', { smoothing: 0.9 });
  await opt('smoothingOff', { smoothing: 0 });
  await opt('xAxis', { xAxis: 'tokens' });
  await opt('xAxisBack', { xAxis: 'step' });

  // Zoom: wheel events over the plot (chartjs-plugin-zoom zooms 10% a notch and redraws in the handler), then the
  // frame after; per notch. Every notch re-decimates the visible range.
  out.zoom = await page.evaluate(`(async () => {
    const c = document.getElementById('chart-runs'), r = c.getBoundingClientRect();
    const ev = () => new WheelEvent('wheel', { deltaY: -100, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true });
    const t0 = performance.now();
    for (let k = 0; k < 10; k++) c.dispatchEvent(ev());
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    return { ms: (performance.now() - t0) / 10 };
  })()`);
  log(`zoom: ${out.zoom.ms.toFixed(1)} ms a wheel notch`);

  // Hover: the tooltip names the real series point nearest the cursor (searched in the whole series).
  await page.dblclick('#chart-runs');
  {
    const box = await page.locator('#chart-runs').boundingBox();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    const t0 = Date.now();
    let tip = '';
    while (!tip && Date.now() - t0 < 5000) {
      tip = (await page.getAttribute('#chart-runs', 'data-tooltip')) ?? '';
      if (!tip) await new Promise((r) => setTimeout(r, 20));
    }
    out.hover = { ms: Date.now() - t0, tooltip: tip };
    log(`hover: tooltip after ${out.hover.ms} ms: ${tip}`);
    await page.mouse.move(0, 0);
  }

  // 2. Stream: the same points as live `points` messages of 200k. The chart's share is the sum of the flushes'
  // data-draw-ms; cloning the messages (what postMessage does) is timed apart, on a copy, beforehand.
  if (!process.argv.includes('--no-stream')) {
    await open();
    out.stream = await page.evaluate(`(async () => {
      const c = document.getElementById('chart-runs');
      const chunks = window.__perf.runs.flatMap((r) => window.__perf.make(r, 200000)).map((m) => ({ type: 'points', ...m }));
      let t = performance.now();
      for (const m of chunks) structuredClone(m);
      const cloneMs = performance.now() - t;
      let chart = 0;
      const mo = new MutationObserver(() => { chart += Number(c.dataset.drawMs) || 0; });
      mo.observe(c, { attributeFilter: ['data-draw-ms'] });
      const t0 = performance.now();
      for (const m of chunks) window.__send(m);
      const ms = await window.__perf.until(${want()}, t0);
      mo.disconnect();
      return { ms, chartMs: chart, cloneMs, messages: chunks.length };
    })()`);
    log(
      `stream as ${out.stream.messages} points messages: ${Math.round(out.stream.ms)} ms (chart flushes ${Math.round(out.stream.chartMs)} ms; cloning the messages alone ${Math.round(out.stream.cloneMs)} ms)`,
    );
  }
  out.heapMB = await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize/1e6 : -1');
  log('heap MB', Math.round(out.heapMB));
  if (!json) await page.screenshot({ path: new URL('../../test-results/webview-perf.png', import.meta.url).pathname });
  if (json) console.log(JSON.stringify(out));
} finally {
  await b.close();
  await srv.close();
}
