/**
 * Spike flags per 10k steps on a folder of healthy real training logs (issue 16: at most one on healthy runs).
 * The logs are not committed (see test/unit/model/SPIKES-HOLDOUT.md for their sources); give the folder:
 *   node --import tsx bench/spikeFlags.ts /path/to/logs [--verbose]
 * Prints one row per log (steps, flags, the flags' messages with --verbose) and the total per 10k steps.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findAnomalies } from '../src/model/anomalies';
import { parsePath } from '../src/ingest/incremental';

const dir = process.argv[2];
const verbose = process.argv.includes('--verbose');
if (!dir) {
  console.error('usage: bench/spikeFlags.ts <folder of logs> [--verbose]');
  process.exit(2);
}
async function main(): Promise<void> {
  let steps = 0,
    flags = 0;
  for (const name of fs.readdirSync(dir).sort()) {
    const r = await parsePath(path.join(dir, name));
    let last = 0,
      n = 0;
    const msgs: string[] = [];
    for (const run of r.runs) {
      for (const s of Object.values(run.metrics)) if (s.step.length) last = Math.max(last, s.step[s.step.length - 1]);
      const spikes = findAnomalies(run.metrics).filter((a) => a.kind === 'spike');
      n += spikes.length;
      msgs.push(...spikes.map((a) => a.message));
    }
    const series = r.runs.flatMap((x) => Object.keys(x.metrics).filter((k) => /loss/i.test(k))).join(', ');
    console.log(`${name}\t${r.runs.length} run(s)\t${last} steps\t${n} flags\t[${series}]`);
    if (verbose) for (const m of msgs) console.log(`    ${m}`);
    steps += last;
    flags += n;
  }
  console.log(`total: ${flags} flags over ${steps} steps = ${((flags / steps) * 1e4).toFixed(2)} per 10k steps`);
}
void main();
