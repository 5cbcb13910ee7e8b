// Child process of bench/run.mjs: ingest one file with our reader (LogFile, the extension's incremental
// reader), sampling RSS every 20 ms; then (optionally) append one line and time the incremental re-read vs a
// full re-read. Prints one JSON object. Usage: node ingest-child.mjs LIB FILE [--incremental]
import { createRequire } from 'node:module';
import { appendFileSync, statSync } from 'node:fs';
const [lib, file, ...flags] = process.argv.slice(2);
const { LogFile } = createRequire(import.meta.url)(lib);

const rss0 = process.memoryUsage.rss();
let peak = rss0;
const timer = setInterval(() => {
  const r = process.memoryUsage.rss();
  if (r > peak) peak = r;
}, 20);
const sample = () => {
  const r = process.memoryUsage.rss();
  if (r > peak) peak = r;
};

async function readAll(lf) {
  for (;;) {
    const r = await lf.poll(64 << 20);
    sample();
    if (!r.more) break;
  }
  lf.finish();
}
function countPoints(res) {
  let n = 0,
    nan = 0,
    raw = 0,
    thinned = 0;
  for (const run of res.runs)
    for (const s of Object.values(run.metrics)) {
      n += s.value.length;
      raw += s.thinned ? s.thinned.rawPoints : s.value.length;
      if (s.thinned) thinned++;
      for (const v of s.value) if (!Number.isFinite(v)) nan++;
    }
  return {
    points: n,
    nonFinite: nan,
    rawPoints: raw,
    thinnedSeries: thinned,
    series: res.runs.reduce((k, r) => k + Object.keys(r.metrics).length, 0),
  };
}

const size = statSync(file).size;
const t0 = performance.now();
const c0 = process.cpuUsage();
const lf = new LogFile(file, { sidecars: false });
await readAll(lf);
const c = process.cpuUsage(c0);
const wall = (performance.now() - t0) / 1000;
sample();
clearInterval(timer);
const res = lf.result();
const out = {
  bytes: size,
  format: lf.format,
  wall_s: wall,
  cpu_s: (c.user + c.system) / 1e6,
  ...countPoints(res),
  rss_start_mb: rss0 / 2 ** 20,
  rss_peak_mb: peak / 2 ** 20,
  rss_growth_mb: (peak - rss0) / 2 ** 20,
};

if (flags.includes('--incremental')) {
  // One appended line: our incremental poll reads only the new bytes; the baseline re-reads the whole file.
  const line = `iter 999999999: loss 2.3456, time 101.00ms, mfu 40.00%\n`;
  appendFileSync(file, line);
  const ti = performance.now();
  const r = await lf.poll();
  lf.finish();
  const inc = (performance.now() - ti) / 1000;
  const tf = performance.now();
  const full = new LogFile(file, { sidecars: false });
  await readAll(full);
  const fullS = (performance.now() - tf) / 1000;
  const a = countPoints(lf.result()),
    b = countPoints(full.result());
  out.incremental = {
    appended_bytes: Buffer.byteLength(line),
    incremental_s: inc,
    grew: r.grew,
    reset: r.reset,
    full_reread_s: fullS,
    points_incremental: a.points,
    points_full: b.points,
  };
}
process.stdout.write(JSON.stringify(out) + '\n');
