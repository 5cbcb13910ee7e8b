// Editor bench, phase "first sweep": the time from opening a workspace in the real VS Code (code-server + headless
// Chromium) to the first sweep fit over every run the initial scan read, for the real-data workspace of the
// end-to-end test (the project's real logs and published curves, dated two days back: ≥ 100 runs) next to the same
// for the fixture workspace (6 runs: a sweep of 3 runs and a table of points) measured in the same run, alternated `reps` times. The clock
// starts when the launcher opens the workbench; the extension activates as VS Code decides (workspaceContains) and
// test/bench-host/firstSweep.ts reports when the scan is done and when the sweep fit is in.
// In the fixture workspace, whose sweep has a law, it also times Predict at… (C = 1e21) through the command, next to
// the sweep refit alone.
//   node bench/editorFirstSweep.mjs [--reps N]     prints one JSON line (bench/editor.mjs also calls it)
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO, startCodeServer, launchBrowser, workbenchUrl, remoteUri } from '../test/harness/codeServer.mjs';
import { copyCorpus } from '../test/e2e/util.mjs';

const err = (...a) => console.error('[first-sweep-bench]', ...a);
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One opening of `ws`: ms from page.goto to the host's marks, and what the host said with them. */
async function openOnce(ws, entry) {
  const server = await startCodeServer({ settings: {} });
  const browser = await launchBrowser();
  const marks = {};
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let t0 = 0;
    const done = new Promise((resolve) => {
      page.exposeFunction('codeAutomationLog', (_t, args) => {
        const s = (Array.isArray(args) ? args : [args]).map(String).join(' ');
        const m = /^BENCH_MARK (\w+) (.*)$/.exec(s);
        if (m) {
          marks[m[1]] = { ms: Date.now() - t0, ...JSON.parse(m[2]) };
          err(s);
        } else if (s.startsWith('[first-sweep]')) err(s);
        else if (process.env.BENCH_VERBOSE) err(s);
      });
      page.exposeFunction('codeAutomationExit', (c) => resolve(c));
    });
    err(`opening ${ws}`);
    t0 = Date.now();
    await page.goto(
      workbenchUrl(server, ws, [
        ['extensionDevelopmentPath', remoteUri(server, REPO)],
        ['extensionTestsPath', remoteUri(server, entry)],
        ['skipWelcome', 'true'],
      ]),
    );
    const code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), 12 * 60_000))]);
    if (code !== 0) throw new Error(`host side ended with ${code}`);
  } finally {
    await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
    await server.stop();
  }
  if (!marks.sweep) throw new Error('no sweep mark from the host');
  return marks;
}

/** Predict at… over every opening of the fixture workspace: median and max of all runs of the command. */
function predictOf(ps) {
  const all = ps.flatMap((p) => p.samples_ms),
    base = ps.flatMap((p) => p.baseline_refit_samples_ms ?? [p.baseline_refit_median_ms]);
  return {
    median_ms: median(all),
    max_ms: Math.max(...all),
    samples_ms: all,
    baseline_refit_median_ms: median(base),
    value: ps[0].value,
  };
}

export async function firstSweep({ reps = 2, build = true } = {}) {
  err('building');
  if (build)
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const entry = path.join(REPO, 'out/bench-host/firstSweep.js');
  await esbuild.build({
    entryPoints: [path.join(REPO, 'test/bench-host/firstSweep.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const tmp = fs.mkdtempSync(path.join(tmpdir(), 'scaling-lens-first-sweep-'));
  try {
    const real = path.join(tmp, 'real'),
      small = path.join(tmp, 'fixture');
    copyCorpus(path.join(REPO, 'test', 'fixtures', 'real'), path.join(real, 'logs'));
    copyCorpus(path.join(REPO, 'test', 'fixtures', 'curves'), path.join(real, 'curves'));
    fs.cpSync(path.join(REPO, 'test', 'fixtures', 'workspace'), small, { recursive: true });
    err('workspaces ready');
    const R = [],
      B = [];
    for (let k = 0; k < reps; k++) {
      // Alternated, baseline first: both see the same machine load, and neither always goes first.
      B.push(await openOnce(small, entry));
      err(`fixture: ${JSON.stringify(B.at(-1))}`);
      R.push(await openOnce(real, entry));
      err(`real: ${JSON.stringify(R.at(-1))}`);
    }
    const r = median(R.map((m) => m.sweep.ms)),
      b = median(B.map((m) => m.sweep.ms));
    return {
      runs: R[0].sweep.runs,
      sweep_input_points: R[0].sweep.input_points,
      sweep_fitted_points: R[0].sweep.fitted_points,
      sweep_ok: R[0].sweep.ok,
      ...(R[0].sweep.reason ? { sweep_reason: R[0].sweep.reason } : {}),
      states: R[0].sweep.states,
      open_to_first_sweep_ms: r,
      open_to_scan_done_ms: median(R.map((m) => m.ready.ms)),
      samples_ms: R.map((m) => m.sweep.ms),
      baseline_runs: B[0].sweep.runs,
      baseline_open_to_first_sweep_ms: b,
      baseline_open_to_scan_done_ms: median(B.map((m) => m.ready.ms)),
      baseline_samples_ms: B.map((m) => m.sweep.ms),
      ratio: +(r / b).toFixed(2),
      reps,
      ...(B.some((m) => m.predict) ? { predict: predictOf(B.filter((m) => m.predict).map((m) => m.predict)) } : {}),
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--reps');
  const result = await firstSweep({ reps: i > 0 ? Number(process.argv[i + 1]) : 2 });
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
}
