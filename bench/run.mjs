// `npm run bench` (after `node scripts/build.mjs`): every benchmark next to a baseline measured in the same
// run on the same machine, a table of figures and ratios, and bench/results.json.
//
//   node bench/run.mjs [--full] [--only NAME[,NAME…]] [--scipy-starts K] [--out FILE]
//
//   --full           scipy runs all 4,500 starts (~minutes), the text log is 1 GB, the TensorBoard file ~220 MB
//   --only           run a subset: chinchilla, bootstrap, curve, lm, forecasts, ingest, tensorboard, webview, samerun, hostslices, editor
//   --scipy-starts   grid starts timed for the scipy baseline without --full (default 600 random ones, extrapolated ×4,500)
//   --ingest-mb      size of the generated text logs of the ingest rows (default 200, 1024 with --full)
//
// Timings: the machine may be shared, so each figure is reported as wall time AND process CPU time, ours and
// the baseline measured back to back in this run; ratios use CPU time when both sides have it (less sensitive
// to other load), and say so. Targets on single-threaded work are judged on CPU time (what one idle core would
// take; wall time is inflated by other load on a shared machine) and the table says which. Our code is the real exported functions of src/ingest and src/fit, bundled with
// esbuild into a temp dir (bench/lib.ts). Baselines are in bench/baselines/.
//
// Editor hook: when bench/editor.mjs exists it is run as `node bench/editor.mjs [--full]` from the repo root; it
// must print ONE JSON object on the last line of stdout (its progress may go to stderr). The object is stored
// under `editor` in results.json and printed after the table; a failure is recorded as { error }.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  writeMixedLog,
  writeMegatronLog,
  writeJsonlLog,
  writeCsvLog,
  writeLlmcLog,
  writeHfStdoutLog,
  writeFairseqLog,
  writeLitgptLog,
  writeTorchtitanLog,
} from './mixedLog.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const DATA = path.resolve(REPO, '..', 'shared', 'data');
const argv = process.argv.slice(2);
const full = argv.includes('--full');
const argOf = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = argOf('--only')?.split(',');
const scipyStarts = Number(argOf('--scipy-starts') ?? 600);
const ingestMb = argOf('--ingest-mb') ? Number(argOf('--ingest-mb')) : undefined;
const outFile = argOf('--out') ?? path.join(HERE, 'results.json');
const want = (name) => !only || only.includes(name);
// Debian's python3 + python3-scipy by default (the brief's reference; a pyenv scipy 1.17 on this machine is ~20×
// slower per L-BFGS-B start, which would flatter us). Override with PYTHON=….
const PY = process.env.PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
process.on('SIGINT', () => process.exit(130));

const log = (s) => process.stderr.write(`[bench] ${s}\n`);

// ── our code, bundled ──
const libFile = path.join(tmp, 'lib.cjs');
await esbuild.build({
  entryPoints: [path.join(HERE, 'lib.ts')],
  outfile: libFile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  external: ['vscode'],
});
const lib = createRequire(import.meta.url)(libFile);

// ── helpers ──
function cpuNow() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
async function timeIt(fn, reps = 1) {
  let best = null;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now(),
      c0 = cpuNow();
    const value = await fn();
    const m = { wall_s: (performance.now() - t0) / 1000, cpu_s: cpuNow() - c0, value };
    if (!best || m.wall_s < best.wall_s) best = m;
  }
  return best;
}
function runJson(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr?.slice(-2000)}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}
/** Runs a command under /usr/bin/time: wall, user+sys CPU, max RSS (MB). */
function timed(cmd, args) {
  if (!TIME) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    return {
      status: r.status,
      stdout: r.stdout,
      wall_s: (performance.now() - t0) / 1000,
      cpu_s: null,
      maxrss_mb: null,
    };
  }
  const r = spawnSync(TIME, ['-f', '@@TIME %e %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const m = /@@TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr?.slice(-2000)}`);
  return {
    status: r.status,
    stdout: r.stdout,
    wall_s: m ? +m[1] : null,
    cpu_s: m ? +m[2] + +m[3] : null,
    maxrss_mb: m ? +m[4] / 1024 : null,
  };
}
const r3 = (v) => (v === null || v === undefined || !Number.isFinite(v) ? v : Number(v.toPrecision(4)));
const results = [];
function record(entry) {
  results.push(entry);
  log(
    `${entry.name}: ours ${entry.ours.figure} | baseline ${entry.baseline?.figure ?? '-'} | ratio ${entry.ratio ?? '-'}`,
  );
}

function chinchillaPoints() {
  const text = fs
    .readFileSync(path.join(DATA, 'chinchilla', 'svg_extracted_data.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  const head = text[0].split(',').map((h) => h.trim());
  const iN = head.indexOf('Model Size'),
    iC = head.indexOf('Training FLOP'),
    iL = head.indexOf('loss');
  const pts = text
    .slice(1)
    .map((l) => l.split(','))
    .map((c) => ({ N: +c[iN], C: +c[iC], D: +c[iC] / (6 * +c[iN]), loss: +c[iL] }));
  // Besiroglu et al. 2024: drop the 5 highest-loss points.
  const drop = new Set(
    pts
      .map((_, i) => i)
      .sort((a, b) => pts[b].loss - pts[a].loss)
      .slice(0, 5),
  );
  return pts.filter((_, i) => !drop.has(i));
}

// ── 1. Chinchilla grid fit vs scipy ──
let chinchillaBest = null;
if (want('chinchilla') || want('bootstrap')) {
  const pts = chinchillaPoints();
  log(`chinchilla: our 4,500-start grid fit on ${pts.length} points…`);
  // CPU time of each of 3 runs (the machine may be shared); the fastest is the figure, the range is printed.
  const oursCpus = [];
  let ours = null;
  for (let r = 0; r < 3; r++) {
    const m = await timeIt(() => lib.fitChinchilla(pts, {}), 1);
    oursCpus.push(m.cpu_s);
    if (!ours || m.cpu_s < ours.cpu_s) ours = m;
  }
  const f = ours.value;
  if (!f.ok) throw new Error(`our Chinchilla fit failed: ${f.reason}`);
  chinchillaBest = f;
  if (want('chinchilla')) {
    log(`chinchilla: scipy L-BFGS-B on ${full ? 'all 4,500' : scipyStarts} starts…`);
    const py = runJson(PY, [
      path.join(HERE, 'baselines', 'chinchilla_scipy.py'),
      path.join(DATA, 'chinchilla', 'svg_extracted_data.csv'),
      ...(full ? ['--full'] : ['--starts', String(scipyStarts)]),
    ]);
    const scipyCpu = py.grid_cpu_s_est,
      scipyWall = py.grid_wall_s_est;
    // Same optimum: our objective no worse than scipy's best beyond 1e-8 relative (ours is polished tighter),
    // and the same point (α, β within 1e-3, E within 0.1 %).
    const sameOptimum =
      f.objective <= py.objective * (1 + 1e-8) &&
      Math.abs(f.params.alpha - py.params.alpha) <= 1e-3 &&
      Math.abs(f.params.beta - py.params.beta) <= 1e-3 &&
      Math.abs(Math.log(f.params.E / py.params.E)) <= 1e-3;
    record({
      name: 'chinchilla-grid-fit',
      what: `Chinchilla L(N,D), Huber δ=1e-3 summed on log residuals, 4,500-start grid, ${pts.length} points (5 highest-loss dropped)`,
      ours: {
        wall_s: r3(ours.wall_s),
        cpu_s: r3(ours.cpu_s),
        cpu_s_range: [r3(Math.min(...oursCpus)), r3(Math.max(...oursCpus))],
        objective: f.objective,
        params: f.params,
        evaluations: f.diagnostics.evaluations,
        figure: `${r3(ours.wall_s)} s wall / ${r3(ours.cpu_s)} s CPU`,
      },
      baseline: {
        name: `scipy ${py.full ? '' : `(${py.starts_run} random starts timed, per-start cost × 4,500 — EXTRAPOLATED) `}L-BFGS-B`,
        extrapolated: !py.full,
        starts_run: py.starts_run,
        wall_s: r3(scipyWall),
        cpu_s: r3(scipyCpu),
        objective: py.objective,
        params: py.params,
        figure: `${r3(scipyWall)} s wall / ${r3(scipyCpu)} s CPU${py.full ? '' : ' (est.)'}`,
      },
      ratio: `scipy/ours ${r3(scipyCpu / ours.cpu_s)}× (CPU; our ${oursCpus.length} runs ${r3(Math.min(...oursCpus))}–${r3(Math.max(...oursCpus))} s)`,
      target: "scipy/ours ≥ 100× (CPU), same optimum (objective ≤ scipy's + 1e-8 relative; α, β, log E within 1e-3)",
      pass: scipyCpu / ours.cpu_s >= 100 && sameOptimum,
      agreement: {
        objective_rel_diff: r3(Math.abs(f.objective - py.objective) / py.objective),
        E: [r3(f.params.E), r3(py.params.E)],
        alpha: [r3(f.params.alpha), r3(py.params.alpha)],
        beta: [r3(f.params.beta), r3(py.params.beta)],
      },
    });
  }
}

// ── 2. 1,000 bootstrap refits ──
// Ours: bootstrapChinchilla itself (the function the editor and CLI call), timed in CPU over 3 repetitions (range
// printed). Baseline: scipy L-BFGS-B refitting exactly the same resamples (bootstrapWeights lists them; written
// to a file) from the same optimum, once with scipy's default tolerances and once with tolerances that reach each
// resample's optimum. The default run stops after a few iterations near the start (its ftol is relative to
// max(|f|, 1) and f ≈ 1e-3), so its α interval collapses around the start; the ratio is judged against the run
// that lands on the same optima as ours, checked refit by refit (α, β, objective).
if (want('bootstrap')) {
  const B = 1000,
    seed = 12345,
    reps = 3;
  log(`bootstrap: ${B} refits × ${reps}…`);
  const cpus = [];
  let boot = null;
  for (let r = 0; r < reps; r++) {
    const c0 = cpuNow();
    boot = lib.bootstrapChinchilla(chinchillaBest, { samples: B, seed });
    cpus.push(cpuNow() - c0);
  }
  if (!boot.ok) throw new Error(`our bootstrap failed: ${boot.reason}`);
  const cpu = Math.min(...cpus);
  const wFile = path.join(tmp, 'bootstrap-weights.f64');
  const W = lib.bootstrapWeights(chinchillaBest.n, B, seed);
  const flat = new Float64Array(B * chinchillaBest.n);
  W.forEach((w, i) => flat.set(w, i * chinchillaBest.n));
  fs.writeFileSync(wFile, Buffer.from(flat.buffer));
  log('bootstrap: scipy L-BFGS-B on the same resamples (default and tight tolerances)…');
  const py = runJson(PY, [
    path.join(HERE, 'baselines', 'chinchilla_scipy.py'),
    path.join(DATA, 'chinchilla', 'svg_extracted_data.csv'),
    '--weights',
    wFile,
    '--x0',
    Array.from(chinchillaBest.raw).join(','),
  ]);
  // Refit-by-refit agreement with the tight scipy run (our draws are in resample order when none failed).
  // Same optimum, refit by refit: our objective never above scipy's (beyond 1e-9 relative); α, β gaps are
  // printed, and where they exceed 2e-3 our objective must be the lower one (scipy stopped short of its optimum).
  const t = py.tight,
    aligned = boot.failed === 0 && t.alpha.length === B;
  let dAlpha = NaN,
    dBeta = NaN,
    worse = NaN,
    apart = NaN,
    apartOursLower = NaN,
    maxRel = NaN;
  if (aligned) {
    dAlpha = 0;
    dBeta = 0;
    worse = 0;
    apart = 0;
    apartOursLower = 0;
    maxRel = -Infinity;
    for (let i = 0; i < B; i++) {
      const da = Math.abs(boot.draws.alpha[i] - t.alpha[i]),
        db = Math.abs(boot.draws.beta[i] - t.beta[i]);
      const rel = (boot.draws.objective[i] - t.objective[i]) / t.objective[i];
      dAlpha = Math.max(dAlpha, da);
      dBeta = Math.max(dBeta, db);
      maxRel = Math.max(maxRel, rel);
      if (rel > 1e-9) worse++;
      if (da > 2e-3 || db > 2e-3) {
        apart++;
        if (rel < 0) apartOursLower++;
      }
    }
  }
  const pct = (xs) => {
    const s = xs.slice().sort((x, y) => x - y);
    return [r3(s[Math.floor(0.025 * s.length)]), r3(s[Math.floor(0.975 * s.length)])];
  };
  const ratio = t.cpu_s / cpu,
    ratioDefault = py.default.cpu_s / cpu;
  const agree = aligned && worse === 0 && apart === apartOursLower;
  record({
    name: 'chinchilla-bootstrap-1000',
    what: `${B} bootstrap refits of Chinchilla (points resampled as integer weights, each refit from the full-data optimum): bootstrapChinchilla`,
    ours: {
      cpu_s: r3(cpu),
      cpu_s_range: [r3(Math.min(...cpus)), r3(Math.max(...cpus))],
      failed: boot.failed,
      ok: boot.samples,
      alpha95: [r3(boot.intervals.alpha.lower), r3(boot.intervals.alpha.upper)],
      figure: `${r3(cpu)} s CPU (${reps} runs: ${r3(Math.min(...cpus))}–${r3(Math.max(...cpus))} s); α 95 % ${r3(boot.intervals.alpha.lower)}–${r3(boot.intervals.alpha.upper)}`,
    },
    baseline: {
      name: `scipy L-BFGS-B on the same ${B} resamples from the same optimum, tolerances that reach each optimum (ftol 1e-14, gtol 1e-10; ${r3(t.mean_iterations)} iterations per refit)`,
      extrapolated: false,
      cpu_s: r3(t.cpu_s),
      wall_s: r3(t.wall_s),
      alpha95: pct(t.alpha),
      default_tolerances: {
        cpu_s: r3(py.default.cpu_s),
        mean_iterations: r3(py.default.mean_iterations),
        alpha95: pct(py.default.alpha),
      },
      figure: `${r3(t.cpu_s)} s CPU, α 95 % ${pct(t.alpha).join('–')} (scipy's default tolerances: ${r3(py.default.cpu_s)} s CPU, ${r3(py.default.mean_iterations)} iterations per refit, α 95 % ${pct(py.default.alpha).join('–')}: stops near the start)`,
    },
    agreement: {
      aligned,
      max_abs_diff_alpha: r3(dAlpha),
      max_abs_diff_beta: r3(dBeta),
      max_rel_objective_excess: r3(maxRel),
      refits_worse_than_scipy: worse,
      refits_apart: apart,
      refits_apart_ours_lower: apartOursLower,
    },
    ratio: `scipy/ours ${r3(ratio)}× (CPU; ${r3(ratioDefault)}× vs scipy's default tolerances); refit by refit: ours above scipy's objective in ${worse} (max excess ${r3(maxRel)} relative), max |Δα| ${r3(dAlpha)}, |Δβ| ${r3(dBeta)}; ${apart} with |Δα| or |Δβ| > 2e-3, ours lower in ${apartOursLower}`,
    target:
      "scipy/ours ≥ 5× (CPU), same optima (no refit above scipy's objective by > 1e-9; any |Δα|, |Δβ| > 2e-3 only where ours is lower)",
    pass: ratio >= 5 && agree,
  });
}

// ── 3. One run's learning curve with 100k points ──
if (want('curve')) {
  const n = 100_000;
  // Realistic: saturating power law in steps, 2 % multiplicative noise, a warm-up bump and occasional spikes.
  let s = 7;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const x = new Float64Array(n),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const step = (i + 1) * 10;
    x[i] = step;
    let v = 2.1 + 9 * Math.pow(step / 50 + 1, -0.45);
    v *= Math.exp(0.02 * gauss());
    if (rnd() < 0.0005) v *= 1.3;
    y[i] = v;
  }
  log('curve: full fit (law selection) and live refit on 100k points…');
  const first = await timeIt(() => lib.fitCurve(x, y), 1);
  if (!first.value.ok) throw new Error(`curve fit failed: ${first.value.reason}`);
  // Live refit: 100 more points arrived; the fit worker refits from scratch with law selection (as curveJob does).
  const x2 = new Float64Array(n + 100),
    y2 = new Float64Array(n + 100);
  x2.set(x);
  y2.set(y);
  for (let i = n; i < n + 100; i++) {
    x2[i] = (i + 1) * 10;
    y2[i] = (2.1 + 9 * Math.pow(x2[i] / 50 + 1, -0.45)) * Math.exp(0.02 * gauss());
  }
  const refit = await timeIt(() => lib.fitCurve(x2, y2), 3);
  const forced = await timeIt(() => lib.fitCurve(x, y, { laws: ['pow3'] }), 3);
  const bin = path.join(tmp, 'curve.f64');
  const both = new Float64Array(2 * n);
  both.set(x);
  both.set(y, n);
  fs.writeFileSync(bin, Buffer.from(both.buffer));
  const py = runJson(PY, [path.join(HERE, 'baselines', 'curve_scipy.py'), bin, String(n), '3']);
  record({
    name: 'curve-refit-100k',
    what: `one run's learning curve, ${n.toLocaleString('en')} points: refit with law selection after 100 new points (the live path)`,
    ours: {
      wall_s: r3(refit.wall_s),
      cpu_s: r3(refit.cpu_s),
      law: refit.value.law,
      first_fit_with_selection_s: r3(first.wall_s),
      first_law: first.value.law,
      pow3_forced_fit_s: r3(forced.wall_s),
      figure: `${r3(refit.cpu_s * 1000)} ms CPU live refit with law selection (${r3(refit.wall_s * 1000)} ms wall; ${r3(forced.wall_s * 1000)} ms pow3 from scratch, ${r3(first.wall_s * 1000)} ms first fit, JIT warm-up included)`,
    },
    baseline: {
      name: 'scipy least_squares (TRF, analytic Jacobian), pow3 on all 100k points',
      wall_s: r3(py.wall_s),
      cpu_s: r3(py.cpu_s),
      params: py.params,
      figure: `${r3(py.wall_s * 1000)} ms`,
    },
    ratio: `scipy/ours ${r3(py.wall_s / forced.wall_s)}× (pow3 from scratch, wall)`,
    target: 'refit ≤ 50 ms (CPU)',
    pass: refit.cpu_s <= 0.05,
  });

  // Schedule-aware forecast of a live run: 100k steps logged (loss and LR every step) of a planned 200k-step
  // cosine run; what the editor's worker calls. Baseline: the schedule-unaware curve forecast of the same prefix.
  const nl = 100_000,
    T = 2 * nl,
    W = 2000,
    peak = 6e-4;
  const lsteps = new Array(nl),
    lloss = new Array(nl),
    llr = new Array(nl);
  let area = 0;
  for (let t = 1; t <= nl; t++) {
    const eta = t < W ? (peak * t) / W : 0.1 * peak + 0.45 * peak * (1 + Math.cos((Math.PI * (t - W)) / (T - W)));
    area += eta;
    lsteps[t - 1] = t;
    llr[t - 1] = eta;
    lloss[t - 1] = (2.4 + 0.6 * Math.pow(area, -0.45) - 0.13 * (1 - eta / peak)) * Math.exp(0.01 * gauss());
  }
  log('curve: schedule-aware live forecast of a 100k-step run…');
  const live = await timeIt(
    () => lib.forecastLiveRun({ steps: lsteps, loss: lloss, lrSteps: lsteps, lr: llr, totalSteps: T }),
    3,
  );
  if (!live.value.ok) throw new Error(`live forecast failed: ${live.value.reason}`);
  const unaware = await timeIt(() => lib.fitCurve(lsteps, lloss), 1);
  record({
    name: 'forecast-live-100k',
    what: `schedule-aware forecast of a live run (${nl.toLocaleString('en')} steps of loss and LR logged, cosine planned to ${T.toLocaleString('en')}): schedule inference, MPL fit, 2 backtests, 64 forecast steps`,
    ours: {
      wall_s: r3(live.wall_s),
      cpu_s: r3(live.cpu_s),
      shape: live.value.schedule.shape,
      figure: `${r3(live.wall_s * 1000)} ms (${live.value.schedule.shape} recognised)`,
    },
    baseline: {
      name: 'schedule-unaware curve forecast (fitCurve with law selection) of the same prefix',
      wall_s: r3(unaware.wall_s),
      cpu_s: r3(unaware.cpu_s),
      figure: `${r3(unaware.wall_s * 1000)} ms`,
    },
    ratio: `ours/curve ${r3(live.wall_s / unaware.wall_s)}× (wall)`,
    target: '≤ 2 s (wall; runs in the fit worker)',
    pass: live.wall_s <= 2,
  });
}

// ── 3b. A 2,000-run workspace: time until every run has a forecast (the real fit worker, the real scheduler) ──
if (want('forecasts')) {
  const worker = path.join(REPO, 'dist', 'fitWorker.js');
  if (!fs.existsSync(worker)) throw new Error('dist/fitWorker.js missing: run node scripts/build.mjs first');
  const RUNS = 2000,
    POINTS = 400,
    LIVE = 20;
  let s = 11;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  // Each run its own saturating power law (asymptote, scale, exponent), 2 % multiplicative noise.
  const runs = Array.from({ length: RUNS }, (_, r) => {
    const E = 1.5 + rnd(),
      A = 4 + 8 * rnd(),
      a = 0.3 + 0.4 * rnd(),
      every = 10 * (1 + (r % 7));
    const point = (i) => {
      const step = (i + 1) * every;
      return [step, (E + A * Math.pow(step / 50 + 1, -a)) * Math.exp(0.02 * gauss())];
    };
    const step = [],
      y = [];
    for (let i = 0; i < POINTS; i++) {
      const [x, v] = point(i);
      step.push(x);
      y.push(v);
    }
    return { id: `run${r}`, step, y, point };
  });
  const jobOf = (run) => ({
    kind: 'curve',
    runId: run.id,
    metric: 'train/loss',
    step: run.step.slice(),
    y: run.y.slice(),
    law: 'auto',
    confidence: 0.95,
  });
  log(`forecasts: ${RUNS} runs of ${POINTS} points appear at once, ${LIVE} of them keep growing; real fit worker…`);
  const client = new lib.FitClient({ workerPath: worker, timeoutMs: 0 });
  const clock = {
    now: () => performance.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h),
  };
  const sched = new lib.FitScheduler(client, clock, { timeoutMs: 60_000, costFactor: 5 });
  const forecast = new Set();
  const failures = [];
  const mark = (run, delay, priority) =>
    sched.mark(run.id, {
      priority,
      delay,
      maxWait: delay,
      build: () => jobOf(run),
      deliver: (o) => {
        if (!o.ok) failures.push(o.error);
        else if (o.result.kind === 'curve' && o.result.view.ok && o.result.view.end) forecast.add(run.id);
      },
    });
  const t0 = performance.now(),
    c0 = cpuNow();
  const all = Promise.all(runs.map((run, i) => mark(run, 0, i < LIVE ? lib.PRIORITY.live : lib.PRIORITY.rest)));
  // The live runs gain 20 points every 500 ms and are re-marked as the controller does (1.5 s refit throttle; a
  // run that already has its forecast waits behind those that have none).
  const grow = setInterval(() => {
    for (const run of runs.slice(0, LIVE)) {
      for (let k = 0; k < 20; k++) {
        const [x, v] = run.point(run.step.length);
        run.step.push(x);
        run.y.push(v);
      }
      void mark(run, 1500, forecast.has(run.id) ? lib.PRIORITY.rest : lib.PRIORITY.live);
    }
  }, 500);
  await all;
  const wall = (performance.now() - t0) / 1000,
    cpuAll = cpuNow() - c0; // process CPU: this thread and the worker
  clearInterval(grow);
  const restarts = client.restarts,
    stats = { ...sched.stats };
  sched.dispose();
  client.dispose();
  // Baseline: the same fits one after another on this thread (200 runs timed, × RUNS / 200), the floor for one worker.
  const sample = runs.slice(LIVE, LIVE + 200);
  const serial = await timeIt(() => {
    for (const run of sample) lib.runFitJob(jobOf(run));
  }, 1);
  const serialAll = serial.wall_s * (RUNS / sample.length),
    serialCpu = serial.cpu_s * (RUNS / sample.length);
  record({
    name: 'forecasts-2000-runs',
    what: `${RUNS} runs of ${POINTS} points appear at once (a first scan) while ${LIVE} keep growing: time until every run has a forecast, through the FitScheduler and the real fit worker`,
    ours: {
      wall_s: r3(wall),
      cpu_s: r3(cpuAll),
      with_forecast: forecast.size,
      failed: failures.length,
      refused: stats.refused,
      timeouts: stats.timeouts,
      worker_restarts: restarts,
      jobs_started: stats.started,
      figure: `${r3(wall)} s wall, ${r3(cpuAll)} s CPU until ${forecast.size}/${RUNS} runs had a forecast (${failures.length} failed, ${restarts} worker restarts, ${stats.started} jobs incl. live refits)`,
    },
    baseline: {
      name: `the same fits back to back on one thread, no scheduler or worker (${sample.length} timed, × ${RUNS / sample.length} — EXTRAPOLATED)`,
      wall_s: r3(serialAll),
      cpu_s: r3(serialCpu),
      figure: `${r3(serialAll)} s wall, ${r3(serialCpu)} s CPU (est.)`,
    },
    // CPU: the worker runs at nice 10, so on a loaded machine its wall time stretches by design.
    ratio: `ours/serial ${r3(cpuAll / serialCpu)}× (CPU, this thread + the worker, live refits included; wall ${r3(wall / serialAll)}×)`,
    target: 'every run has a forecast; 0 failed, 0 worker restarts; CPU ≤ 1.25× the serial fits',
    pass: forecast.size === RUNS && failures.length === 0 && restarts === 0 && cpuAll <= 1.25 * serialCpu,
  });
}

// ── 4–5. Text ingest (throughput, RSS) and incremental re-read ──
function writeNanogptLog(file, bytes) {
  const fd = fs.openSync(file, 'w');
  const head =
    'Overriding config with config/train_gpt2.py:\ntokens per iteration will be: 491,520\nnumber of parameters: 123.59M\n' +
    'num decayed parameter tensors: 50, with 124,354,560 parameters\nusing fused AdamW: True\ncompiling the model... (takes a ~minute)\n';
  fs.writeSync(fd, head);
  let written = head.length,
    it = 0,
    s = 3;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
  while (written < bytes) {
    let chunk = '';
    for (let k = 0; k < 20000; k++, it++) {
      const loss = 2.9 + 8 * Math.pow(it / 100 + 1, -0.5) + 0.05 * (rnd() - 0.5);
      if (it % 2000 === 0)
        chunk += `step ${it}: train loss ${loss.toFixed(4)}, val loss ${(loss + 0.02).toFixed(4)}\nsaving checkpoint to out\n`;
      chunk += `iter ${it}: loss ${loss.toFixed(4)}, time ${(300 + 40 * rnd()).toFixed(2)}ms, mfu ${(38 + rnd()).toFixed(2)}%\n`;
    }
    fs.writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
  }
  fs.closeSync(fd);
  return { bytes: fs.statSync(file).size, iters: it };
}

if (want('lm')) {
  // Our Levenberg–Marquardt against ml-levenberg-marquardt (the package the design card named) on the curve fits
  // we run: every automatic curve law from each of its starts on every real curve of the shared data.
  log('lm: our Levenberg–Marquardt vs ml-levenberg-marquardt on the shared curves…');
  const c = lib.compareLmOnSharedCurves(DATA);
  const med = (a) => {
    const v = a.filter(Number.isFinite).sort((x, y) => x - y);
    return v.length ? v[v.length >> 1] : NaN;
  };
  record({
    name: 'curve-lm-vs-mljs',
    what: `${c.fits} LM fits (${c.laws} curve laws × their starts × ${c.curves} real curves), same objective, bounds and 200-iteration cap`,
    ours: {
      cpu_s: r3(c.ours.cpuMs / 1000),
      failures: c.ours.failures,
      lower_objective: c.oursBetter,
      median_cost: r3(med(c.ours.costs)),
      figure: `${r3(c.ours.cpuMs / 1000)} s CPU, ${c.ours.failures} failures, lower objective in ${c.oursBetter} fits`,
    },
    baseline: {
      name: 'ml-levenberg-marquardt 5 (numerical Jacobian)',
      cpu_s: r3(c.mljs.cpuMs / 1000),
      failures: c.mljs.failures,
      lower_objective: c.mljsBetter,
      ties: c.ties,
      figure: `${r3(c.mljs.cpuMs / 1000)} s CPU, ${c.mljs.failures} failures, lower objective in ${c.mljsBetter} fits (${c.ties} ties)`,
    },
    ratio: `mljs/ours ${r3(c.mljs.cpuMs / c.ours.cpuMs)}× (CPU)`,
    target: 'ours ≥ 1× as fast, no more failures, lower objective more often',
    pass: c.ours.cpuMs <= c.mljs.cpuMs && c.ours.failures <= c.mljs.failures && c.oursBetter >= c.mljsBetter,
  });
}

/** Runs of each side per format row (ours and the tool alternately); each side keeps its fastest. */
const INGEST_REPS = 2;
/** The run with the least CPU time (wall time when no CPU time was measured). */
function fastest(runs) {
  const key = (r) => r.cpu_s ?? r.wall_s;
  return runs.reduce((a, b) => (key(b) < key(a) ? b : a));
}

/** True when `cmd` is on the PATH (mawk has no --version, so ask the shell). */
function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

if (want('ingest')) {
  const mb = ingestMb ?? (full ? 1024 : 200);
  const file = path.join(tmp, 'train.log');
  log(`ingest: writing a ${mb} MB nanoGPT-style log…`);
  const gen = writeNanogptLog(file, mb * 2 ** 20);
  const sizeMB = gen.bytes / 2 ** 20;
  log('ingest: awk baseline…');
  const awk1 = timed('awk', ['/^iter /{ s += $4; n++ } END { printf "%d %.6f\\n", n, s }', file]);
  // the same work as ours: every value we keep — iter, loss, time and mfu of the iter lines; the step, train and
  // val losses of the evaluation lines (awk reads `123:`, `2.9,`, `101.00ms`, `40.00%` as their leading numbers)
  const awk = timed('awk', [
    '/^iter /{ s += $2 + $4 + $6 + $8; n++ } /^step /{ s += $2 + $5 + $8; m++ } END { printf "%d %d %.6f\\n", n, m, s }',
    file,
  ]);
  const awkIters = Number(awk.stdout.trim().split(' ')[0]);
  log('ingest: our reader (child process, RSS sampled)…');
  const child = timed(process.execPath, [path.join(HERE, 'ingest-child.mjs'), libFile, file, '--incremental']);
  const ours = JSON.parse(child.stdout.trim().split('\n').pop());
  const oursMBs = sizeMB / ours.wall_s,
    awkMBs = sizeMB / awk.wall_s;
  record({
    name: 'text-ingest',
    what: `nanoGPT-style log, ${r3(sizeMB)} MB, ${gen.iters.toLocaleString('en')} iter lines: our reader (LogFile, one core) vs awk reading the same values`,
    ours: {
      mb_per_s: r3(oursMBs),
      mb_per_s_cpu: r3(sizeMB / ours.cpu_s),
      wall_s: r3(ours.wall_s),
      cpu_s: r3(ours.cpu_s),
      points_read: ours.rawPoints,
      points_stored: ours.points,
      format: ours.format,
      figure: `${r3(oursMBs)} MB/s (${r3(sizeMB / ours.cpu_s)} MB/s per CPU-second)`,
    },
    baseline: {
      name: "awk '/^iter /{ s += $2 + $4 + $6 + $8 } /^step /{ s += $2 + $5 + $8 }' (iter, loss, time, mfu; the evaluation lines' step, train and val loss)",
      loss_only: {
        name: "awk '/^iter /{ s += $4 }' (one field of one line type)",
        mb_per_s_cpu: awk1.cpu_s ? r3(sizeMB / awk1.cpu_s) : null,
        ratio: awk1.cpu_s ? r3(awk1.cpu_s / ours.cpu_s) : r3(oursMBs / (sizeMB / awk1.wall_s)),
      },
      mb_per_s: r3(awkMBs),
      mb_per_s_cpu: awk.cpu_s ? r3(sizeMB / awk.cpu_s) : null,
      wall_s: r3(awk.wall_s),
      cpu_s: r3(awk.cpu_s),
      iter_lines: awkIters,
      figure: `${r3(awkMBs)} MB/s${awk.cpu_s ? ` (${r3(sizeMB / awk.cpu_s)} MB/s per CPU-second)` : ''}`,
    },
    ratio: awk.cpu_s
      ? `ours/awk ${r3(awk.cpu_s / ours.cpu_s)}× (MB per CPU-second; wall ${r3(oursMBs / awkMBs)}×${awk1.cpu_s ? `; against awk pulling the loss alone ${r3(awk1.cpu_s / ours.cpu_s)}×` : ''})`
      : `ours/awk ${r3(oursMBs / awkMBs)}× (MB/s, wall)`,
    target: '≥ 200 MB/s on one core (MB per CPU-second) and ≥ 1× awk doing the same work (issues 14, 17)',
    pass: sizeMB / ours.cpu_s >= 200 && (awk.cpu_s ? awk.cpu_s >= ours.cpu_s : oursMBs >= awkMBs),
  });
  // Series are capped (DEFAULT_MAX_SERIES_POINTS per series; older points merge into bins), so once every big
  // series is at its cap the store stops growing with the log: the reduced run can speak for the 1 GB target
  // only in that state, and says which state it measured. Growth per MB of log is printed either way.
  const cap = lib.DEFAULT_MAX_SERIES_POINTS;
  const atCap = ours.thinnedSeries > 0;
  const perMB = (ours.rss_growth_mb * 2 ** 20) / sizeMB;
  record({
    name: full ? 'ingest-rss-1GB' : 'ingest-rss-200MB',
    what: `peak RSS growth while ingesting the ${r3(sizeMB)} MB log (sampled every 20 ms in the child; /usr/bin/time max RSS of the whole process too): ${ours.rawPoints.toLocaleString('en')} points read, ${ours.points.toLocaleString('en')} stored (${ours.thinnedSeries} of ${ours.series} series at the ${cap.toLocaleString('en')}-point cap, older points in bins)`,
    ours: {
      rss_growth_mb: r3(ours.rss_growth_mb),
      rss_growth_bytes_per_log_mb: Math.round(perMB),
      rss_start_mb: r3(ours.rss_start_mb),
      rss_peak_mb: r3(ours.rss_peak_mb),
      time_maxrss_mb: r3(child.maxrss_mb),
      points_read: ours.rawPoints,
      points_stored: ours.points,
      series_at_cap: ours.thinnedSeries,
      series: ours.series,
      figure: `+${r3(ours.rss_growth_mb)} MB (${r3(perMB / 1024)} KiB per MB of log; peak ${r3(ours.rss_peak_mb)} MB)`,
    },
    baseline: { name: 'awk max RSS', maxrss_mb: r3(awk.maxrss_mb), figure: `${r3(awk.maxrss_mb)} MB` },
    ratio: null,
    target: full
      ? '≤ 150 MB growth on the 1 GB log'
      : `≤ 150 MB growth on the 1 GB log (measured by --full). Here: ${atCap ? 'the big series are already at their cap, so the store no longer grows with the log and this figure bounds the 1 GB one up to transient buffers' : 'series below their cap: growth scales with the log until the cap — NOT a 1 GB figure'}`,
    pass: ours.rss_growth_mb <= 150 && (full || atCap),
  });
  const inc = ours.incremental;
  record({
    name: 'incremental-append',
    what: `one line appended to the ${r3(sizeMB)} MB log: incremental poll (only the new bytes) vs a full re-read`,
    ours: {
      ms: r3(inc.incremental_s * 1000),
      grew: inc.grew,
      reset: inc.reset,
      points_match: inc.points_incremental === inc.points_full,
      figure: `${r3(inc.incremental_s * 1000)} ms`,
    },
    baseline: {
      name: 'full re-read with a fresh LogFile',
      ms: r3(inc.full_reread_s * 1000),
      figure: `${r3(inc.full_reread_s * 1000)} ms`,
    },
    ratio: `full/incremental ${r3(inc.full_reread_s / inc.incremental_s)}×`,
    target: 'O(new bytes)',
    pass: inc.grew && !inc.reset && inc.points_incremental === inc.points_full,
  });
  fs.rmSync(file, { force: true });

  // The general reader (structure inference) on a mixed log no specific reader claims: logger prefixes, free-form
  // key=value train lines, eval lines, tqdm redraws with Unicode blocks and \r, warnings (bench/mixedLog.mjs).
  const mixed = path.join(tmp, 'mixed.log');
  log(`ingest: writing a ${mb} MB mixed log (general reader)…`);
  const mgen = writeMixedLog(mixed, mb * 2 ** 20);
  const mixedMB = mgen.bytes / 2 ** 20;
  const mawkArgs = [
    '-F',
    'loss=',
    '/step=/{ split($2, a, " "); s += a[1]; n++ } END { printf "%d %.6f\\n", n, s }',
    mixed,
  ];
  // the same work as ours: every value of the train lines (step, loss, lr, grad_norm, tok/s) and of the eval lines
  // (step, val_loss, val_ppl), each read as a number and summed (a tqdm `\r` redraw may precede a line: split per field)
  const mawkAllArgs = [
    '-F',
    ' [|] ',
    '/ step=/{ for (i = 1; i <= NF; i++) { k = split($i, a, /[= ]/); s += a[k] } n++; next } / eval step /{ split($0, a, / eval step |: val_loss |, val_ppl /); e += a[2] + a[3] + a[4]; m++ } END { printf "%d %d %.6f\\n", n, m, s + e }',
    mixed,
  ];
  // alternately, each side's fastest of INGEST_REPS runs (as the format rows below)
  const mRuns = [];
  const mawkRuns = [];
  const mawkAllRuns = [];
  for (let rep = 0; rep < INGEST_REPS; rep++) {
    const mchild = timed(process.execPath, [path.join(HERE, 'ingest-child.mjs'), libFile, mixed]);
    mRuns.push(JSON.parse(mchild.stdout.trim().split('\n').pop()));
    mawkRuns.push(timed('awk', mawkArgs));
    mawkAllRuns.push(timed('awk', mawkAllArgs));
  }
  const mours = fastest(mRuns);
  const mawk = fastest(mawkRuns);
  const mawkAll = fastest(mawkAllRuns);
  const mOursCpu = mixedMB / mours.cpu_s,
    mOursWall = mixedMB / mours.wall_s,
    mAwkWall = mixedMB / mawk.wall_s;
  record({
    name: 'text-ingest-general',
    what: `mixed ${r3(mixedMB)} MB log (${mgen.lossLines.toLocaleString('en')} train lines behind timestamps, eval lines, tqdm \\r redraws, warnings) read by the general reader (format ${mours.format}, ${mours.series} series, ${mours.rawPoints.toLocaleString('en')} points) vs awk reading the same values (every value of the train and eval lines)`,
    ours: {
      mb_per_s: r3(mOursWall),
      mb_per_s_cpu: r3(mOursCpu),
      wall_s: r3(mours.wall_s),
      cpu_s: r3(mours.cpu_s),
      format: mours.format,
      points_read: mours.rawPoints,
      figure: `${r3(mOursWall)} MB/s (${r3(mOursCpu)} MB/s per CPU-second)`,
    },
    baseline: {
      name: "awk -F ' [|] ' '/ step=/{ every field's value summed } / eval step /{ step, val_loss, val_ppl summed }' (the values we keep)",
      mb_per_s: r3(mixedMB / mawkAll.wall_s),
      mb_per_s_cpu: mawkAll.cpu_s ? r3(mixedMB / mawkAll.cpu_s) : null,
      wall_s: r3(mawkAll.wall_s),
      cpu_s: r3(mawkAll.cpu_s),
      lines: Number(mawkAll.stdout.trim().split(' ')[0]),
      figure: `${r3(mixedMB / mawkAll.wall_s)} MB/s${mawkAll.cpu_s ? ` (${r3(mixedMB / mawkAll.cpu_s)} MB/s per CPU-second)` : ''}`,
      loss_only: {
        name: "awk -F loss= '/step=/{ s += $2 }' (one field of one line type)",
        mb_per_s_cpu: mawk.cpu_s ? r3(mixedMB / mawk.cpu_s) : null,
        ratio: mawk.cpu_s ? r3(mawk.cpu_s / mours.cpu_s) : r3(mOursWall / mAwkWall),
      },
    },
    // judged on CPU time like the other rows when awk's is known (wall time on this shared machine mostly measures the others)
    ratio: mawkAll.cpu_s
      ? `ours/awk ${r3(mawkAll.cpu_s / mours.cpu_s)}× (MB per CPU-second; wall ${r3(mawkAll.wall_s / mours.wall_s)}×; against awk pulling the loss alone ${mawk.cpu_s ? r3(mawk.cpu_s / mours.cpu_s) : r3(mOursWall / mAwkWall)}×)`
      : `ours/awk ${r3(mawkAll.wall_s / mours.wall_s)}× (MB/s, wall)`,
    target: `≥ 100 MB per CPU-second (issue 14); ≥ 1× awk doing the same work (issue 17); fastest of ${INGEST_REPS} alternating runs each`,
    pass:
      mours.format === 'generic-text' &&
      mOursCpu >= 100 &&
      (mawkAll.cpu_s ? mawkAll.cpu_s / mours.cpu_s : mawkAll.wall_s / mours.wall_s) >= 1,
  });
  fs.rmSync(mixed, { force: true });

  // One row per further line-oriented format: our reader (LogFile in a child process, as above) vs awk or jq
  // reading the values we keep (or, for some rows, pulling the loss field) out of the same file, alternately in
  // this run, the fastest of INGEST_REPS runs of each side. A missing jq still prints the row.
  const formats = [
    {
      name: 'text-ingest-megatron',
      what: 'Megatron-LM stdout (` iteration N/ M | … | lm loss: X | …`, 10 fields a line, 8 kept)',
      write: writeMegatronLog,
      format: 'megatron',
      tool: 'awk',
      // the same work as ours: every `key: value` segment read, the 8 kept (all but the timing) summed per key
      args: (f) => [
        '-F',
        ' [|] ',
        '/ iteration /{ for (i = 2; i <= NF; i++) { k = index($i, ": "); if (k) { f = substr($i, 1, k - 1); if (f != "elapsed time per iteration (ms)") { s[f] += substr($i, k + 2); m++ } } } n++ } END { for (f in s) t += s[f]; printf "%d %d %.6f\\n", n, m, t }',
        f,
      ],
      label:
        "awk -F ' [|] ' '/ iteration /{ for each `key: value` segment but the timing: s[key] += value }' (the 8 fields we keep)",
    },
    {
      name: 'text-ingest-llmc',
      what: 'llm.c stdout (`s:N trl:X lr:Y norm:Z`, a `tel:` line every 250 steps)',
      write: writeLlmcLog,
      format: 'llmc',
      tool: 'awk',
      args: (f) => ['-F', 'trl:', '/^s:/{ split($2, a, " "); s += a[1]; n++ } END { printf "%d %.6f\\n", n, s }', f],
      label: "awk -F 'trl:' '/^s:/{ s += $2 }'",
      // the same work as ours: the step and every value of the train and validation lines (trl, lr, norm; tel)
      same: {
        args: (f) => ['-F', '[: ]', '/^s:/{ s += $2 + $4 + $6 + $8; n++ } END { printf "%d %.6f\\n", n, s }', f],
        label:
          "awk -F '[: ]' '/^s:/{ s += $2 + $4 + $6 + $8 }' (step, trl, lr, norm; step and tel on validation lines)",
      },
    },
    {
      name: 'text-ingest-jsonl',
      what: 'JSON Lines of flat metric dicts (`{"step": N, "loss": X, …}`, 5 keys)',
      write: writeJsonlLog,
      format: 'jsonl',
      tool: 'jq',
      args: (f) => ['-n', '-c', 'reduce inputs as $r ([0, 0]; [.[0] + 1, .[1] + $r.loss])', f],
      label: "jq -n 'reduce inputs as $r (…; … + $r.loss)'",
    },
    {
      name: 'text-ingest-csv',
      what: 'CSV table `step,loss,lr,grad_norm,tokens_per_sec`',
      write: writeCsvLog,
      format: 'csv',
      tool: 'awk',
      args: (f) => ['-F', ',', 'NR > 1 { s += $2; n++ } END { printf "%d %.6f\\n", n, s }', f],
      label: "awk -F, 'NR > 1 { s += $2 }'",
      // the same work as ours: every cell of every row (the step and the four metrics we keep)
      same: {
        args: (f) => ['-F', ',', 'NR > 1 { s += $1 + $2 + $3 + $4 + $5; n++ } END { printf "%d %.6f\\n", n, s }', f],
        label: "awk -F, 'NR > 1 { s += $1 + $2 + $3 + $4 + $5 }' (every cell: the step and the four metrics we keep)",
      },
    },
    {
      name: 'text-ingest-hf-stdout',
      what: "Hugging Face Trainer stdout (`{'loss': X, 'grad_norm': …, 'learning_rate': …, 'epoch': …}` dicts)",
      write: writeHfStdoutLog,
      format: 'hf-stdout',
      tool: 'awk',
      args: (f) => [
        '-F',
        "'loss': ",
        '/^{\'loss\'/{ split($2, a, ","); s += a[1]; n++ } END { printf "%d %.6f\\n", n, s }',
        f,
      ],
      label: 'awk -F "\'loss\': " "/^{\'loss\'/{ s += $2 }"',
      // the same work as ours: every value of the train and eval dicts (4 each), read and summed
      same: {
        args: (f) => ['-F', ': |, ', '/^{/{ s += $2 + $4 + $6 + $8; n++ } END { printf "%d %.6f\\n", n, s }', f],
        label: "awk -F ': |, ' '/^{/{ s += $2 + $4 + $6 + $8 }' (every value of the train and eval dicts)",
      },
    },
    {
      name: 'text-ingest-fairseq',
      what: 'fairseq json progress (`… | INFO | train_inner | {"epoch": 1, …, "loss": "X", …}`, 15 keys)',
      write: writeFairseqLog,
      format: 'fairseq',
      tool: 'awk',
      args: (f) => [
        '-F',
        '"loss": "',
        '/train_inner/{ split($2, a, "\\""); s += a[1]; n++ } END { printf "%d %.6f\\n", n, s }',
        f,
      ],
      label: "awk -F '\"loss\": \"' '/train_inner/{ s += $2 }'",
    },
    {
      name: 'text-ingest-litgpt',
      what: 'LitGPT stdout (`Epoch 1 | iter N step M | loss train: X, val: n/a | iter time: T ms …`)',
      write: writeLitgptLog,
      format: 'litgpt',
      tool: 'awk',
      args: (f) => [
        '-F',
        'loss train: ',
        '/ step /{ split($2, a, ","); s += a[1]; n++ } END { printf "%d %.6f\\n", n, s }',
        f,
      ],
      label: "awk -F 'loss train: ' '/ step /{ s += $2 }'",
      // the same work as ours: iter, step, loss and iter time, read and summed
      same: {
        args: (f) => ['/ step /{ s += $5 + $7 + $11 + $17; n++ } END { printf "%d %.6f\\n", n, s }', f],
        label: "awk '/ step /{ s += $5 + $7 + $11 + $17 }' (iter, step, loss, iter time)",
      },
    },
    {
      name: 'text-ingest-torchtitan',
      what: 'torchtitan stdout with colour codes (`[titan] <time> - root - INFO - step: N  loss: X  grad_norm: …`)',
      write: writeTorchtitanLog,
      format: 'torchtitan',
      tool: 'awk',
      args: (f) => [
        '-F',
        'loss: ',
        '/step:/{ split($2, a, " "); s += a[1]; n++ } END { printf "%d %.6f\\n", n, s }',
        f,
      ],
      label: "awk -F 'loss: ' '/step:/{ s += $2 }'",
      // the same work as ours: step, loss, grad_norm, tps (thousands commas dropped), tflops, mfu and the time of day
      same: {
        args: (f) => [
          '-F',
          ': +',
          '/step:/{ v = $6; gsub(",", "", v); split(substr($1, 9, 23), d, /[-: ,]/); s += $2 + $3 + $4 + v + $7 + $8 + d[4] * 3600 + d[5] * 60 + d[6] + d[7] / 1000; n++ } END { printf "%d %.6f\\n", n, s }',
          f,
        ],
        label: "awk -F ': +' '/step:/{ step, loss, grad_norm, tps, tflops, mfu and the timestamp's time, summed }'",
      },
    },
  ];
  for (const fm of formats) {
    const file = path.join(tmp, `${fm.name}.${fm.format === 'csv' ? 'csv' : fm.format === 'jsonl' ? 'jsonl' : 'log'}`);
    log(`ingest: writing a ${mb} MB ${fm.format} file…`);
    const g = fm.write(file, mb * 2 ** 20);
    const sizeMB = g.bytes / 2 ** 20;
    // ours and the tool run alternately INGEST_REPS times, and each side keeps its fastest run (least CPU): on this
    // shared machine a side measured a few seconds after the other met another load (the torchtitan row's ratio
    // went 0.71-1.51x across runs of the same code; interleaved by hand, 1.29-1.32x)
    const runs = [];
    const toolRuns = [];
    for (let rep = 0; rep < INGEST_REPS; rep++) {
      const child = timed(process.execPath, [path.join(HERE, 'ingest-child.mjs'), libFile, file]);
      runs.push(JSON.parse(child.stdout.trim().split('\n').pop()));
      if (have(fm.tool))
        toolRuns.push([timed(fm.tool, fm.args(file)), fm.same ? timed(fm.tool, fm.same.args(file)) : null]);
    }
    const o = fastest(runs);
    const oMBs = sizeMB / o.wall_s;
    const ours = {
      mb_per_s: r3(oMBs),
      mb_per_s_cpu: r3(sizeMB / o.cpu_s),
      wall_s: r3(o.wall_s),
      cpu_s: r3(o.cpu_s),
      format: o.format,
      points_read: o.rawPoints,
      figure: `${r3(oMBs)} MB/s (${r3(sizeMB / o.cpu_s)} MB/s per CPU-second)`,
    };
    const what = `${fm.what}, ${r3(sizeMB)} MB, ${g.lines.toLocaleString('en')} records: our reader (format ${o.format}, ${o.series} series, ${o.rawPoints.toLocaleString('en')} points) vs ${fm.tool} ${fm.same ? 'reading the same values' : 'pulling the loss field'}`;
    if (!have(fm.tool)) {
      record({
        name: fm.name,
        what,
        ours,
        baseline: { name: `${fm.tool} (not installed: apt-get install ${fm.tool})`, figure: 'n/a' },
        ratio: null,
        target: `≥ 1× ${fm.tool} (MB/s, wall), same run`,
        pass: false,
      });
    } else {
      // rows with `same`: judged against the tool doing our work (every kept value read); the loss alone printed too
      const t1 = fastest(toolRuns.map((r) => r[0]));
      const t = fm.same ? fastest(toolRuns.map((r) => r[1])) : t1;
      const tMBs = sizeMB / t.wall_s;
      // judged on CPU time when both sides have it (wall time on this shared machine mostly measures the others)
      const cpu = !!t.cpu_s;
      const ratio = cpu ? t.cpu_s / o.cpu_s : oMBs / tMBs;
      record({
        name: fm.name,
        what,
        ours,
        baseline: {
          name: fm.same ? fm.same.label : fm.label,
          ...(fm.same
            ? {
                loss_only: {
                  name: fm.label,
                  mb_per_s_cpu: t1.cpu_s ? r3(sizeMB / t1.cpu_s) : null,
                  ratio: t1.cpu_s ? r3(t1.cpu_s / o.cpu_s) : r3(oMBs / (sizeMB / t1.wall_s)),
                },
              }
            : {}),
          mb_per_s: r3(tMBs),
          mb_per_s_cpu: t.cpu_s ? r3(sizeMB / t.cpu_s) : null,
          wall_s: r3(t.wall_s),
          cpu_s: r3(t.cpu_s),
          output: t.stdout.trim(),
          figure: `${r3(tMBs)} MB/s${t.cpu_s ? ` (${r3(sizeMB / t.cpu_s)} MB/s per CPU-second)` : ''}`,
        },
        ratio: `ours/${fm.tool} ${r3(ratio)}× (${cpu ? 'MB per CPU-second' : 'MB/s, wall'}; wall ${r3(oMBs / tMBs)}×${fm.same && t1.cpu_s ? `; against ${fm.tool} pulling the loss alone ${r3(t1.cpu_s / o.cpu_s)}×` : ''})`,
        target: `≥ 1× ${fm.tool}, same file, same run (fastest of ${INGEST_REPS} alternating runs each)`,
        pass: o.format === fm.format && ratio >= 1,
      });
    }
    fs.rmSync(file, { force: true });
  }

  // A partial line arriving one byte at a time (a slow writer, tiny pipe reads): LineFeeder keeps it in a
  // doubling buffer, so the cost per byte must not grow with the line (re-copying it per chunk was quadratic).
  const trickle = (bytes) => {
    let got = 0;
    const parser = {
      line: (t) => {
        got += t.length;
      },
      result: () => ({ runs: [], diagnostics: [] }),
    };
    const f = new lib.LineFeeder('/bench/trickle.log', parser);
    const line = Buffer.alloc(bytes, 120);
    line[bytes - 1] = 10;
    const c0 = cpuNow();
    for (let i = 0; i < bytes; i++) f.push(line.subarray(i, i + 1));
    const cpu = cpuNow() - c0;
    if (got !== bytes - 1) throw new Error(`trickle: got ${got} characters, expected ${bytes - 1}`);
    return cpu;
  };
  const small = 64 * 1024,
    big = 512 * 1024;
  trickle(small); // warm-up
  const tSmall = Math.min(trickle(small), trickle(small)),
    tBig = Math.min(trickle(big), trickle(big));
  const oneChunk = await timeIt(() => {
    let got = 0;
    const f = new lib.LineFeeder('/bench/trickle.log', {
      line: (t) => {
        got += t.length;
      },
      result: () => ({ runs: [], diagnostics: [] }),
    });
    const line = Buffer.alloc(big, 120);
    line[big - 1] = 10;
    f.push(line);
    return got;
  }, 3);
  const growth = tBig / big / (tSmall / small);
  record({
    name: 'partial-line-trickle',
    what: `one ${big / 1024} KiB line fed to LineFeeder one byte at a time (each push sees no newline until the last byte)`,
    ours: {
      cpu_s: r3(tBig),
      ns_per_byte: r3((tBig / big) * 1e9),
      ns_per_byte_64k: r3((tSmall / small) * 1e9),
      per_byte_growth_512k_vs_64k: r3(growth),
      figure: `${r3(tBig * 1000)} ms CPU (${r3((tBig / big) * 1e9)} ns/byte; ${r3(growth)}× the per-byte cost at 64 KiB)`,
    },
    baseline: {
      name: 'the same line pushed in one chunk',
      cpu_s: r3(oneChunk.cpu_s),
      figure: `${r3(oneChunk.cpu_s * 1000)} ms CPU`,
    },
    ratio: `byte-at-a-time/one-chunk ${r3(tBig / Math.max(oneChunk.cpu_s, 1e-6))}× (CPU)`,
    target: 'linear: per-byte cost at 512 KiB ≤ 2× that at 64 KiB',
    pass: growth <= 2,
  });
}

// ── 6. TensorBoard ──
if (want('tensorboard')) {
  const src = path.join(DATA, 'logs', 'tensorboard', 't5_pile_base_train_events.out.tfevents.1691309474.v2');
  const one = fs.readFileSync(src);
  const reps = full ? 1000 : 200;
  const file = path.join(tmp, 'events.out.tfevents.bench');
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < reps; i++) fs.writeSync(fd, one);
  fs.closeSync(fd);
  const sizeMB = (one.length * reps) / 2 ** 20;
  log(
    `tensorboard: ${reps} copies of the real T5X event file (${r3(sizeMB)} MB; each record keeps its framing and CRCs)…`,
  );
  const ours = await timeIt(async () => {
    const lf = new lib.LogFile(file, { sidecars: false });
    for (;;) {
      const r = await lf.poll();
      if (!r.more) break;
    }
    let n = 0;
    for (const run of lf.result().runs) for (const s of Object.values(run.metrics)) n += s.value.length;
    return n;
  }, 2);
  const py = runJson(PY, [path.join(HERE, 'baselines', 'tfrecord_scan.py'), file]);
  const oursRate = ours.value / ours.wall_s;
  record({
    name: 'tensorboard-scalars',
    what: `TensorBoard event file, ${r3(sizeMB)} MB (${py.records.toLocaleString('en')} records, ${ours.value.toLocaleString('en')} scalar events): both CRC-32Cs checked, protobuf decoded`,
    ours: {
      scalars_per_s: r3(oursRate),
      scalars_per_cpu_s: r3(ours.value / ours.cpu_s),
      mb_per_s: r3(sizeMB / ours.wall_s),
      wall_s: r3(ours.wall_s),
      cpu_s: r3(ours.cpu_s),
      scalars: ours.value,
      figure: `${r3(oursRate / 1e6)} M scalars/s (${r3(ours.value / ours.cpu_s / 1e6)} M per CPU-second; ${r3(sizeMB / ours.wall_s)} MB/s)`,
    },
    baseline: {
      name: 'python3 struct walk of the TFRecord framing (no CRC check, no protobuf decode)',
      mb_per_s: r3(sizeMB / py.wall_s),
      cpu_s: r3(py.cpu_s),
      records_per_s: r3(py.records / py.wall_s),
      wall_s: r3(py.wall_s),
      figure: `${r3(sizeMB / py.wall_s)} MB/s (${r3(py.records / py.wall_s / 1e6)} M records/s)`,
    },
    ratio: `ours/python ${r3(py.wall_s / ours.wall_s)}× (MB/s, wall)`,
    target: '≥ 1M scalar events/s (per CPU-second)',
    pass: ours.value / ours.cpu_s >= 1e6,
  });
  fs.rmSync(file, { force: true });
}

// ── 6b. The dashboard webview with 1M and 10M points (the real bundle in headless Chromium) ──
// test/webview-preview/perf.mjs --json, once per size; the baseline is the same harness with 10k points in the same
// run (what the chart costs without volume). Targets from issue 17: first draw ≤ 2 s, an option change ≤ 150 ms
// (log x and smoothing), a live append ≤ 150 ms (incremental: no work proportional to the points already drawn).
if (want('webview')) {
  const perf = path.join(REPO, 'test', 'webview-preview', 'perf.mjs');
  if (!fs.existsSync('/usr/bin/chromium'))
    record({
      name: 'webview',
      what: 'skipped: no /usr/bin/chromium',
      ours: { figure: 'skipped' },
      target: '-',
      pass: false,
    });
  else {
    const sizes = [10_000, 1_000_000, 10_000_000];
    const got = {};
    for (const [k, n] of sizes.entries()) {
      log(`webview: ${n.toLocaleString('en')} points in the real webview bundle (headless Chromium)…`);
      got[n] = runJson(
        process.execPath,
        [
          perf,
          '--json',
          '--points',
          String(n),
          ...(k ? ['--no-build'] : []),
          ...(n > 1_000_000 ? ['--no-stream'] : []),
        ],
        { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
      );
    }
    const ms = (v) => `${r3(v)} ms`;
    const rows6b = [
      ['first-draw', "first draw: every run's points as one series message each, until drawn", (o) => o.first.ms, 2000],
      ['logx-toggle', 'log x switched on, until redrawn', (o) => o.logX.ms, 150],
      ['smoothing-change', 'smoothing 0 → 0.9, until redrawn', (o) => o.smoothing.ms, 150],
      ['live-append', 'one live point appended on top, message to drawn', (o) => o.append.ms, 150],
    ];
    for (const n of [1_000_000, 10_000_000]) {
      const o = got[n],
        b = got[10_000],
        label = n === 1e6 ? '1M' : '10M';
      for (const [id, what, f, target] of rows6b) {
        record({
          name: `webview-${id}-${label}`,
          what: `${label} points in 5 runs, ${what} (Chromium ${o.runs} runs; heap ${r3(o.heapMB)} MB)`,
          ours: { ms: r3(f(o)), figure: ms(f(o)) },
          baseline: { name: 'the same with 10k points', ms: r3(f(b)), figure: ms(f(b)) },
          ratio: `${label}/10k ${r3(f(o) / f(b))}×`,
          target: `≤ ${target} ms`,
          pass: f(o) <= target,
        });
      }
    }
    // Memory (issue 17): the webview's JS heap after a full GC (V8 heap + typed arrays' buffers, over CDP), after the
    // first draw minus before it: what the points cost the store and the chart's caches. Same-run baseline: the bytes
    // of the columns themselves (step, tokens and y as 8-byte doubles), the least any copy of the data takes.
    for (const n of [1_000_000, 10_000_000]) {
      const m = got[n].memory,
        label = n === 1e6 ? '1M' : '10M';
      if (!m) continue;
      const cols = (Math.floor(n / got[n].runs) * got[n].runs * 3 * 8) / 1e6;
      record({
        name: `webview-memory-${label}`,
        what: `${label} points in 5 runs: the webview's JS heap (after a full GC, typed arrays' buffers included) after the first draw, minus before it`,
        ours: { mb: r3(m.pointsMB), figure: `${r3(m.pointsMB)} MB (heap ${r3(m.afterFirstMB)} MB in all)` },
        baseline: {
          name: "the columns' own bytes (step, tokens, y as doubles)",
          mb: r3(cols),
          figure: `${r3(cols)} MB`,
        },
        ratio: `${r3(m.pointsMB / cols)}× the columns`,
        target: '≤ 2× the columns',
        pass: m.pointsMB <= 2 * cols,
      });
    }
    // Zoom (a wheel notch re-decimates the visible range) and the time in the chart while 1M points stream in.
    const z = got[10_000_000].zoom,
      zb = got[10_000].zoom;
    record({
      name: 'webview-zoom-notch-10M',
      what: '10M points, one wheel notch of zoom (re-decimated for the visible range), until redrawn',
      ours: { ms: r3(z.ms), figure: ms(z.ms) },
      baseline: { name: 'the same with 10k points', ms: r3(zb.ms), figure: ms(zb.ms) },
      ratio: `10M/10k ${r3(z.ms / zb.ms)}×`,
      target: '≤ 150 ms',
      pass: z.ms <= 150,
    });
    const st = got[1_000_000].stream;
    if (st) {
      record({
        name: 'webview-stream-1M',
        what: `1M points arriving as ${st.messages} live points messages of 200k, until drawn; the chart's flushes vs the rest (message cloning, store)`,
        ours: { ms: r3(st.ms), chart_ms: r3(st.chartMs), figure: `${ms(st.ms)} (chart ${ms(st.chartMs)})` },
        baseline: {
          name: 'structuredClone of the same messages (what postMessage does to them)',
          ms: r3(st.cloneMs),
          figure: ms(st.cloneMs),
        },
        ratio: `${r3(st.ms / st.cloneMs)}× the cloning`,
        target: '≤ 2000 ms',
        pass: st.ms <= 2000,
      });
    }
  }
}

// ── 7. Editor-experience figures (owned by the extension-host side; merged when bench/editor.mjs exists) ──
let editor = null;
// ── one run from several files: the run model's same-run grouping on the host's update path (sameRun.ts) ──
// ── 6c. A thousand runs arriving in the open dashboard (the 10,000-file scan): the real webview bundle in headless
// Chromium, run summaries in batches ~16 ms apart as the host's outbox sends them, then a ping. Before the palette
// kept each candidate colour's nearest distance and the run list moved its rows instead of re-creating them, this took ~40 s of
// webview time (a ping answered after 20–40 s in the integration test). Baseline: the same with 100 runs, same run;
// the target is no worse than linear growth (the per-run cost at 1,000 at most twice that at 100).
if (want('webview') && fs.existsSync('/usr/bin/chromium')) {
  const probe = path.join(REPO, 'test', 'webview-preview', 'manyRunsArrive.mjs');
  const at = (n) =>
    runJson(
      process.execPath,
      [probe, '--json', '--no-build', '--runs', String(n), '--batches', String(Math.ceil(n / 7))],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
  log('webview: 100 and 1,000 runs arriving in batches…');
  const small = at(100),
    big = at(1000);
  const perRun = (o) => Math.max(0, o.busyMs) / o.runs;
  record({
    name: 'webview-runs-arrive-1000',
    what: `1,000 run summaries arriving in ${big.batches} batches, then a ping: webview time beyond the batches' spacing (last flush ${r3(big.drawMs)} ms)`,
    ours: { ms: r3(big.busyMs), figure: `${r3(big.busyMs)} ms (${r3(perRun(big))} ms a run)` },
    baseline: {
      name: 'the same with 100 runs',
      ms: r3(small.busyMs),
      figure: `${r3(small.busyMs)} ms (${r3(perRun(small))} ms a run)`,
    },
    ratio: `per run 1000/100 ${r3(perRun(big) / Math.max(1e-9, perRun(small)))}×`,
    target: 'per-run cost at 1,000 runs ≤ 2× that at 100',
    pass: perRun(big) <= 2 * perRun(small),
  });
}

if (want('samerun')) {
  // 60 runs × 10k points (train/loss every 10 steps, val/loss every 100), each a different seed: every update
  // compares the new run with the others of its folder. Same-run baseline: the same updates with each run in its
  // own folder (nothing to compare). Runs are built before timing; the worst single update is what blocks the host.
  const N = 60,
    P = 10_000,
    steps = Array.from({ length: P }, (_, i) => i * 10);
  const mk = (k, dir) => ({
    id: `${dir(k)}/seed${k}.log`,
    path: `${dir(k)}/seed${k}.log`,
    format: 'nanogpt',
    meta: {},
    metrics: {
      'train/loss': lib.seriesFrom(
        'train/loss',
        'loss',
        steps,
        steps.map((s, i) => 2 + 8 / Math.sqrt(1 + s / 50) + Math.sin(i * 7.1 + k) * 0.01),
      ),
      'val/loss': lib.seriesFrom(
        'val/loss',
        'val_loss',
        steps.filter((_, i) => i % 10 === 0),
        steps.filter((_, i) => i % 10 === 0).map((s, i) => 3 + 10 / (1 + s / 100) + Math.cos(i + k) * 0.01),
      ),
    },
  });
  const scan = (dir) => {
    const runs = Array.from({ length: N }, (_, k) => mk(k, dir));
    const m = new lib.RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => 0);
    // Per update: wall time and this process's CPU time (on a loaded 2-core machine the wall figure also counts
    // time the OS gave other processes; CPU time is what the update costs the host).
    let worst = 0,
      worstCpu = 0;
    const t0 = performance.now(),
      c0 = cpuNow();
    for (const r of runs) {
      const t = performance.now(),
        c = cpuNow();
      m.update(r.path, { runs: [r], diagnostics: [] }, true);
      worst = Math.max(worst, performance.now() - t);
      worstCpu = Math.max(worstCpu, (cpuNow() - c) * 1000);
    }
    return {
      worst_ms: worst,
      worst_cpu_ms: worstCpu,
      total_ms: performance.now() - t0,
      cpu_s: cpuNow() - c0,
      shown: m.runs.size,
    };
  };
  scan(() => '/w/warmup');
  const ours = scan(() => '/w/sweep'),
    base = scan((k) => `/w/run${k}`);
  record({
    name: 'samerun-folder-60',
    what: `${N} runs × ${P} points arriving one by one in one folder (two seeds never merge): the run model's update with same-run grouping`,
    ours: {
      worst_update_cpu_ms: r3(ours.worst_cpu_ms),
      worst_update_ms: r3(ours.worst_ms),
      total_ms: r3(ours.total_ms),
      cpu_s: r3(ours.cpu_s),
      runs_shown: ours.shown,
      figure: `${r3(ours.worst_cpu_ms)} ms CPU worst update (wall ${r3(ours.worst_ms)} ms; ${r3(ours.cpu_s * 1000)} ms CPU for all ${N}; ${ours.shown} runs shown)`,
    },
    baseline: {
      name: `the same updates, each run in its own folder (nothing to compare)`,
      worst_update_cpu_ms: r3(base.worst_cpu_ms),
      worst_update_ms: r3(base.worst_ms),
      total_ms: r3(base.total_ms),
      cpu_s: r3(base.cpu_s),
      figure: `${r3(base.worst_cpu_ms)} ms CPU worst update (${r3(base.cpu_s * 1000)} ms CPU for all ${N})`,
    },
    ratio: `${r3(ours.cpu_s / Math.max(base.cpu_s, 1e-6))}× total CPU`,
    target: '≤ 20 ms CPU worst update (the host event-loop budget), every seed its own run',
    pass: ours.worst_cpu_ms <= 20 && ours.shown === N,
  });
}

// ── host responsiveness: the two long synchronous steps of the host's series and ingest paths, sliced ──
if (want('hostslices')) {
  // (1) Charting a run with 2M points: the dashboard thins it to 4,000 (LTTB). Baseline: the one-shot LTTB on the
  // loop (what seriesData did); ours: SeriesThinCache.prepare in slices between setImmediate turns, then the
  // synchronous seriesData part (cache hit). Longest stall = longest slice, wall and process CPU.
  const N = 2_000_000;
  const step = Array.from({ length: N }, (_, i) => i + 1);
  const s = lib.seriesFrom(
    'train/loss',
    'loss',
    step,
    step.map((x, i) => 2 + 8 / Math.sqrt(x) + 0.01 * Math.sin(i * 7.3)),
    undefined,
    4 * N,
  );
  const one = await timeIt(() => lib.lttbIndices(s.step, s.value, 4000), 3);
  let longest = 0,
    longestCpu = 0,
    t = 0,
    c = 0;
  const mark = () => {
    t = performance.now();
    c = cpuNow();
  };
  const take = () => {
    longest = Math.max(longest, performance.now() - t);
    longestCpu = Math.max(longestCpu, (cpuNow() - c) * 1000);
  };
  const cache = new lib.SeriesThinCache(4000, undefined, undefined, () => {
    take();
    return new Promise((r) =>
      setImmediate(() => {
        mark();
        r();
      }),
    );
  });
  mark();
  await cache.prepare([s]);
  take();
  const hit = await timeIt(() => cache.indices(s), 3);
  const same = JSON.stringify(cache.indices(s)) === JSON.stringify(lib.lttbIndices(s.step, s.value, 4000));
  record({
    name: 'host-series-thin-2M',
    what: 'a 2M-point series thinned to 4,000 points (LTTB) for the dashboard, on the host thread',
    ours: {
      longest_slice_ms: r3(longest),
      longest_slice_cpu_ms: r3(longestCpu),
      slices: cache.stats.slices,
      max_slice_points: cache.stats.maxSliceWork,
      cache_hit_ms: r3(hit.wall_s * 1000),
      same_indices: same,
      figure: `${r3(longest)} ms longest slice (CPU ${r3(longestCpu)} ms; ${cache.stats.slices} slices ≤ ${cache.stats.maxSliceWork} points); then ${r3(hit.wall_s * 1000)} ms per seriesData`,
    },
    baseline: {
      name: 'the one-shot LTTB on the loop (before)',
      wall_s: r3(one.wall_s),
      cpu_s: r3(one.cpu_s),
      figure: `${r3(one.wall_s * 1000)} ms wall (CPU ${r3(one.cpu_s * 1000)} ms)`,
    },
    ratio: `${r3(longestCpu / Math.max(one.cpu_s * 1000, 1e-6))}× the one-shot stall (CPU)`,
    target: '≤ 20 ms CPU longest slice, same indices',
    pass: longestCpu <= 20 && same,
  });
  // (2) The general reader's first result of a 100 MB mixed log. Baseline: result() straight after feeding (the
  // one-shot assembly, as before); ours: prepareResult in slices, then result(). Both parsers fed the same bytes.
  const mb = ingestMb ?? 100;
  const file = path.join(tmp, 'hostslices-mixed.log');
  writeMixedLog(file, mb * 2 ** 20);
  const bytes = fs.readFileSync(file);
  const feed = (p) => {
    const f = new lib.LineFeeder(file, p);
    for (let i = 0; i < bytes.length; i += 1 << 20) f.push(bytes.subarray(i, i + (1 << 20)));
    f.flush();
    return p;
  };
  const a = feed(new lib.InferredParser(file));
  const t0 = performance.now(),
    c0 = cpuNow();
  const ra = a.result();
  const oneMs = performance.now() - t0,
    oneCpu = (cpuNow() - c0) * 1000;
  fs.rmSync(file, { force: true });
  const b = feed(new lib.InferredParser(file));
  longest = 0;
  longestCpu = 0;
  let slices = 0,
    maxPts = 0;
  mark();
  await b.prepareResult(
    () => {
      take();
      return new Promise((r) =>
        setImmediate(() => {
          mark();
          r();
        }),
      );
    },
    lib.ASSEMBLY_SLICE_POINTS,
    (n) => {
      slices++;
      maxPts = Math.max(maxPts, n);
    },
  );
  take();
  const t1 = performance.now(),
    c1 = cpuNow();
  const rb = b.result();
  const afterMs = performance.now() - t1,
    afterCpu = (cpuNow() - c1) * 1000;
  const pts = (r) =>
    Object.values(r.runs[0]?.metrics ?? {})
      .map((x) => x.step.length)
      .join(',');
  const sameRes =
    pts(ra) === pts(rb) &&
    Object.keys(ra.runs[0]?.metrics ?? {}).every((k) =>
      ra.runs[0].metrics[k].value.every((v, i) => Object.is(v, rb.runs[0].metrics[k].value[i])),
    );
  record({
    name: 'host-assembly-mixed-log',
    what: `the general reader's first result() of a ${mb} MB mixed log (series ${pts(ra)} points), on the host thread`,
    ours: {
      longest_slice_ms: r3(longest),
      longest_slice_cpu_ms: r3(longestCpu),
      slices,
      max_slice_points: maxPts,
      result_after_ms: r3(afterMs),
      result_after_cpu_ms: r3(afterCpu),
      same_result: sameRes,
      figure: `${r3(Math.max(longest, afterMs))} ms longest stall (CPU ${r3(Math.max(longestCpu, afterCpu))} ms; ${slices} slices ≤ ${maxPts} points; result() after: ${r3(afterMs)} ms)`,
    },
    baseline: {
      name: 'result() straight after feeding: the one-shot assembly (before)',
      ms: r3(oneMs),
      cpu_ms: r3(oneCpu),
      figure: `${r3(oneMs)} ms wall (CPU ${r3(oneCpu)} ms)`,
    },
    ratio: `${r3(Math.max(longestCpu, afterCpu) / Math.max(oneCpu, 1e-6))}× the one-shot stall (CPU)`,
    target: '≤ 20 ms CPU longest stall, same series',
    pass: Math.max(longestCpu, afterCpu) <= 20 && sameRes,
  });
}

if (want('editor')) {
  const ed = path.join(HERE, 'editor.mjs');
  if (fs.existsSync(ed)) {
    log('editor: node bench/editor.mjs…');
    try {
      editor = runJson(process.execPath, [ed, ...(full ? ['--full'] : [])], {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
    } catch (e) {
      editor = { error: String(e.message ?? e) };
    }
  } else editor = { skipped: 'bench/editor.mjs not present' };
}

// ── report ──
const cpuModel = (() => {
  try {
    return /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  } catch {
    return os.cpus()[0]?.model;
  }
})();
const machine = {
  nproc: Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()) || os.cpus().length,
  cpu: cpuModel,
  node: process.version,
  python: `${PY}: ${spawnSync(PY, ['-c', 'import sys, numpy, scipy; print(sys.version.split()[0], "numpy", numpy.__version__, "scipy", scipy.__version__)'], { encoding: 'utf8' }).stdout.trim()}`,
  platform: `${os.type()} ${os.release()}`,
  loadavg_at_end: os.loadavg().map(r3),
  mode: full ? 'full' : 'default',
  date: new Date().toISOString(),
};
const rows = [['benchmark', 'ours', 'baseline', 'ratio', 'target', 'met']];
for (const r of results)
  rows.push([
    r.name,
    r.ours.figure,
    r.baseline ? `${r.baseline.figure} — ${r.baseline.name}` : '-',
    r.ratio ?? '-',
    r.target,
    r.pass ? 'yes' : 'NO',
  ]);
// Editor figures (bench/editor.mjs, measured inside VS Code's extension host), each next to its same-run baseline.
if (editor && !editor.error && !editor.skipped) {
  const e = editor,
    yes = (b) => (b ? 'yes' : 'NO');
  if (e.activation) {
    const a = e.activation,
      extra =
        a.load_and_activate_ms !== undefined && a.baseline_empty_extension_ms !== undefined
          ? a.load_and_activate_ms - a.baseline_empty_extension_ms
          : undefined;
    // Judged on what we control: loading our bundle + our activate(). VS Code's activation path (the empty
    // extension's figure) is printed beside it, with ours through the same path.
    const own = a.ours_ms ?? a.inside_activate_ms;
    rows.push([
      'editor-activation',
      `${own} ms (bundle load ${a.module_load_ms ?? '?'} ms + activate() ${a.inside_activate_ms} ms)${a.load_and_activate_ms !== undefined ? `; through VS Code's activation path ${a.load_and_activate_ms} ms` : ''}`,
      a.baseline_empty_extension_ms !== undefined
        ? `${a.baseline_empty_extension_ms} ms — an empty extension through the same path`
        : '-',
      extra !== undefined ? `ours − empty ${r3(extra)} ms (path noise included)` : '-',
      '≤ 50 ms',
      yes(own <= 50),
    ]);
  }
  if (e.hover)
    rows.push([
      'editor-hover-1M-lines',
      `${e.hover.p95_ms} ms p95 (median ${e.hover.median_ms})`,
      `${e.hover.baseline_1_line_log_p95_ms} ms p95 — the same hover on a 1-line log; full re-parse ${e.hover.baseline_full_reparse_ms} ms`,
      `1M/1-line ${r3(e.hover.p95_ms / e.hover.baseline_1_line_log_p95_ms)}×`,
      '≤ 30 ms p95',
      yes(e.hover.p95_ms <= 30),
    ]);
  if (e.appendToChart) {
    const c = e.appendToChart;
    rows.push([
      'editor-append-to-chart',
      `${c.p95_ms} ms p95 (median ${c.median_ms}; host side ${c.host_side_p95_ms} ms p95, redraw ${c.webview_redraw_p95_ms} ms p95)`,
      `${c.baseline_noop_round_trip_p95_ms} ms p95 — a no-op round trip through the webview`,
      `${r3(c.p95_ms / c.baseline_noop_round_trip_p95_ms)}× the round trip`,
      '≤ 250 ms p95',
      yes(c.p95_ms <= 250),
    ]);
  }
  if (e.fits100) {
    const f = e.fits100;
    // Judged on the longest stall in the host thread's own CPU time (synchronous work on the loop: what the
    // extension controls); the wall-clock stall (which also counts time the OS gave both cores to Chromium,
    // code-server and the fit worker) is printed first, next to the idle host's.
    const busy = f.longest_busy_block_ms;
    rows.push([
      'editor-fits-100-runs-block',
      `${f.longest_block_ms} ms longest wall stall (host-thread CPU in it ${f.thread_cpu_in_longest_block_ms ?? '?'} ms); longest busy stall ${busy ?? '?'} ms; longest GC pause ${f.longest_gc_pause_ms} ms`,
      `${f.baseline_idle_host_longest_block_ms} ms wall (${f.baseline_idle_host_longest_busy_block_ms ?? '?'} ms busy) — the same sampler on the idle host; the fits on the loop: ${f.baseline_100_fits_on_the_loop_ms} ms`,
      '-',
      '≤ 20 ms (busy)',
      yes((busy ?? f.longest_block_ms) <= 20),
    ]);
  }
  if (e.scan10k) {
    // The integration test's 10,000-file scan (1,000 logs) with the dashboard open, as a benchmark: judged on the
    // longest stall in the host thread's own CPU time, as the fits row is.
    const f = e.scan10k;
    const busy = f.longest_busy_block_ms;
    rows.push([
      'editor-scan-10k-files-block',
      `${f.longest_block_ms} ms longest wall stall (host-thread CPU in it ${f.thread_cpu_in_longest_block_ms ?? '?'} ms); longest busy stall ${busy ?? '?'} ms (without the GC in it ${f.longest_busy_block_without_gc_ms ?? '?'} ms); longest GC pause ${f.longest_gc_pause_ms} ms (${f.runs} runs at ${r3(f.runs_ms / 1000)} s, ${f.posts} posts, ping after ${f.ping_after_ms} ms)`,
      `${f.baseline_idle_host_longest_block_ms} ms wall (${f.baseline_idle_host_longest_busy_block_ms ?? '?'} ms busy) — the same sampler on the idle host`,
      '-',
      '≤ 20 ms (busy)',
      yes((busy ?? f.longest_block_ms) <= 20),
    ]);
  }
  if (e.firstSweep && !e.firstSweep.error) {
    // Issue 16: the sweep never fitted while logs grew ("No sweep fit yet" for over 5 minutes). Judged: opening a
    // workspace of ≥ 100 real runs gives its first sweep fit within a minute; beside it the fixture workspace's.
    const s = e.firstSweep;
    rows.push([
      `editor-open-to-first-sweep-${s.runs}-runs`,
      `${r3(s.open_to_first_sweep_ms / 1000)} s (scan done at ${r3(s.open_to_scan_done_ms / 1000)} s; ${s.sweep_ok ? `fitted ${s.sweep_fitted_points} points` : `no law: ${s.sweep_input_points} usable point(s)`})`,
      `${r3(s.baseline_open_to_first_sweep_ms / 1000)} s — the fixture workspace (${s.baseline_runs} runs)`,
      `${s.ratio}×`,
      '≤ 60 s',
      yes(s.open_to_first_sweep_ms <= 60_000),
    ]);
    if (s.predict) {
      const p = s.predict;
      rows.push([
        'editor-predict-at-C',
        `${p.median_ms} ms median, ${p.max_ms} ms max (${p.samples_ms.length} runs of the command, the fixture's sweep)`,
        `${p.baseline_refit_median_ms} ms — the sweep refit alone`,
        `${r3(p.median_ms / p.baseline_refit_median_ms)}×`,
        '≤ 1 s',
        yes(p.max_ms <= 1000),
      ]);
    }
  }
}
const md = [
  `| ${rows[0].join(' | ')} |`,
  `|${rows[0].map(() => '---').join('|')}|`,
  ...rows.slice(1).map((x) => `| ${x.join(' | ')} |`),
].join('\n');
process.stdout.write(
  `\nmachine: ${machine.nproc} × ${machine.cpu}, node ${machine.node}, ${machine.python}, load average at end ${machine.loadavg_at_end.join(' ')} (${machine.mode} run)\n\n${md}\n`,
);
const ch = results.find((r) => r.name === 'chinchilla-grid-fit');
const notes = [];
if (ch) {
  const o = ch.ours,
    b = ch.baseline,
    q = (p) => `E ${r3(p.E)}, A ${r3(p.A)}, B ${r3(p.B)}, α ${r3(p.alpha)}, β ${r3(p.beta)}`;
  notes.push(
    `Chinchilla optima — ours: objective ${o.objective.toPrecision(6)}, ${q(o.params)}; scipy: objective ${b.objective.toPrecision(6)}, ${q(b.params)} (relative objective difference ${ch.agreement.objective_rel_diff}).`,
  );
}
const bs = results.find((r) => r.name === 'chinchilla-bootstrap-1000');
if (bs)
  notes.push(
    `Bootstrap 95 % interval of α from the 1,000 refits: ${bs.ours.alpha95[0]}–${bs.ours.alpha95[1]} (Besiroglu et al. 2024: 0.317–0.373).`,
  );
if (notes.length) process.stdout.write(`\n${notes.join('\n')}\n`);
if (editor) process.stdout.write(`\neditor: ${JSON.stringify(editor)}\n`);
const prev = only && fs.existsSync(outFile) ? JSON.parse(fs.readFileSync(outFile, 'utf8')) : null;
const merged = prev ? [...prev.results.filter((p) => !results.some((r) => r.name === p.name)), ...results] : results;
fs.writeFileSync(
  outFile,
  JSON.stringify({ machine, results: merged, editor: editor ?? prev?.editor ?? null, table: md, notes }, null, 2) +
    '\n',
);
log(`wrote ${path.relative(process.cwd(), outFile)}`);
