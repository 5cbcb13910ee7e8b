/**
 * Soak: a simulated live run at 10 log lines per second with time compressed. Lines are appended to a nanoGPT
 * log in batches (one batch = 10 simulated seconds = 100 lines); after every batch the host path runs as the
 * extension does it: LogFile.poll → RunModel.update → takeIncrements; every simulated minute the dashboard's
 * LTTB decimation of every series to 2,000 points; every simulated 5 minutes the anomaly checks.
 * Heap (after a forced GC) plus ArrayBuffer memory (series columns are Float64Arrays, outside the JS heap) and RSS
 * are sampled every 10 simulated minutes against the number of points held; a least-squares line
 * memory = a + b·points gives the bytes per point. Used by test/reliability/soak.mjs (full:
 * 24 h = 864,000 lines) and test/unit/reliability/soak.test.ts (reduced: 2 h = 72,000 lines).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogFile } from '../../src/ingest/incremental';
import { RunModel } from '../../src/model/runModel';
import { findAnomalies } from '../../src/model/anomalies';
import { lttbIndices } from '../../src/model/decimate';

export interface SoakSample {
  hour: number;
  lines: number;
  points: number;
  heapMb: number;
  rssMb: number;
}

export interface SoakReport {
  hours: number;
  lines: number;
  points: number;
  seconds: number;
  samples: SoakSample[];
  /** Slope of heap-after-GC vs points held (least squares over the 10-minute samples). */
  bytesPerPoint: number;
  /** Largest distance of a sample from that line (MB): a leak beyond the data would bend it upwards. */
  maxResidualMb: number;
  heapGrowthMbPerMillionLines: number;
  rssGrowthMbPerMillionLines: number;
  anomalies: number;
  decimations: number;
  lostOrDuplicated: number;
}

function gcNow(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

export async function runSoak(hours: number, log: (s: string) => void = () => undefined): Promise<SoakReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-soak-'));
  const file = path.join(dir, 'train.log');
  fs.writeFileSync(
    file,
    'Overriding config with config/train_gpt2.py:\nnumber of parameters: 123.69M\ntokens per iteration will be: 491,520\n',
  );
  const lf = new LogFile(file);
  let simNow = 0;
  const model = new RunModel({ liveTimeoutMs: 300_000, relativize: (p) => path.relative(dir, p) }, () => simNow);
  const LINES_PER_BATCH = 100; // 10 s at 10 lines/s
  const batches = Math.round((hours * 3600) / 10);
  const samples: SoakSample[] = [];
  let step = 0,
    lines = 0,
    anomalies = 0,
    decimations = 0,
    handedOut = 0;
  const t0 = performance.now();
  const sample = (hour: number) => {
    gcNow();
    let points = 0;
    for (const r of model.runs.values()) for (const s of Object.values(r.metrics)) points += s.step.length;
    const mu = process.memoryUsage();
    const held = mu.heapUsed + mu.arrayBuffers;
    samples.push({ hour, lines, points, heapMb: held / 2 ** 20, rssMb: mu.rss / 2 ** 20 });
    log(
      `  soak: ${hour.toFixed(2)} h simulated, ${lines} lines, ${points} points, heap+ArrayBuffers ${(held / 2 ** 20).toFixed(1)} MB, rss ${(mu.rss / 2 ** 20).toFixed(1)} MB`,
    );
  };
  try {
    sample(0);
    for (let b = 1; b <= batches; b++) {
      let chunk = '';
      for (let i = 0; i < LINES_PER_BATCH; i++) {
        // a slowly decaying loss with noise; an eval line every 250 iterations
        const loss = 2.8 + 8 * Math.pow(step + 10, -0.3) + 0.02 * Math.sin(step * 12.9898);
        chunk += `iter ${step}: loss ${loss.toFixed(4)}, time ${(100 + (step % 7)).toFixed(2)}ms, mfu ${(40 + (step % 5) / 10).toFixed(2)}%\n`;
        if (step % 250 === 249)
          chunk += `step ${step}: train loss ${loss.toFixed(4)}, val loss ${(loss + 0.05).toFixed(4)}\n`;
        step++;
        lines++;
      }
      fs.appendFileSync(file, chunk);
      simNow += 10_000;
      const r = await lf.poll();
      const { removed } = model.update(file, lf.result(), r.grew);
      if (removed.length) throw new Error(`run removed during soak: ${removed.join(', ')}`);
      for (const inc of model.takeIncrements()) {
        if (inc.reset) throw new Error(`unexpected reset of ${inc.metric} at batch ${b}`);
        handedOut += inc.step.length;
      }
      const run = model.runs.get(file);
      if (run && b % 6 === 0) {
        for (const s of Object.values(run.metrics)) lttbIndices(s.step, s.value, 2000);
        decimations++;
      }
      if (run && b % 30 === 0) anomalies += findAnomalies(run.metrics).length;
      if ((b * 10) % 600 === 0) sample((b * 10) / 3600); // every simulated 10 minutes
    }
    if (Math.abs(samples[samples.length - 1].hour - hours) > 1e-9) sample(hours);
    const run = model.runs.get(file)!;
    let points = 0;
    for (const s of Object.values(run.metrics)) points += s.step.length;
    const trainLoss = run.metrics['train/loss'];
    const lostOrDuplicated = Math.abs((trainLoss?.step.length ?? 0) - lines) + Math.abs(handedOut - points);
    // least squares heap ~ points over the samples after the first (which includes warm-up)
    const xs = samples.slice(1).map((s) => s.points);
    const ys = samples.slice(1).map((s) => s.heapMb * 2 ** 20);
    const n = xs.length;
    const mx = xs.reduce((a, x) => a + x, 0) / n;
    const my = ys.reduce((a, y) => a + y, 0) / n;
    let sxy = 0,
      sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (xs[i] - mx) * (ys[i] - my);
      sxx += (xs[i] - mx) ** 2;
    }
    const slope = sxx > 0 ? sxy / sxx : 0;
    const icept = my - slope * mx;
    let maxResidual = 0;
    for (let i = 0; i < n; i++) maxResidual = Math.max(maxResidual, Math.abs(ys[i] - (icept + slope * xs[i])));
    const first = samples[0],
      last = samples[samples.length - 1];
    return {
      hours,
      lines,
      points,
      seconds: (performance.now() - t0) / 1000,
      samples,
      bytesPerPoint: slope,
      maxResidualMb: maxResidual / 2 ** 20,
      heapGrowthMbPerMillionLines: ((last.heapMb - first.heapMb) / lines) * 1e6,
      rssGrowthMbPerMillionLines: ((last.rssMb - first.rssMb) / lines) * 1e6,
      anomalies,
      decimations,
      lostOrDuplicated,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
