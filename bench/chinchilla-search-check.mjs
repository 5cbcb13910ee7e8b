// Does the pruned/merged Chinchilla grid search (fitChinchilla's default) find the same optimum as running
// every one of the 4,500 starts to tight convergence (`exhaustive: true`)? On data sets that the search was
// developed on (dev) and on real sweeps it was not (hold-out), reported separately.
//
//   node bench/chinchilla-search-check.mjs [--split dev|holdout|both]
//
// dev: the 240 Chinchilla points (Hoffmann et al. 2022 via Besiroglu et al. 2024), three random halves of them,
//      and three synthetic sweeps (Chinchilla-like laws, 2 % log-normal noise, seeded).
// hold-out: Gadre et al. 2024 (c4_original, rpj, rw_original: every model and token multiplier) and
//      Muennighoff et al. 2023 (data-constrained runs, fitted as L(N, D)), from test/fixtures/papers/.
// Prints one line per data set (objective of each search, relative difference, CPU seconds) and a JSON summary.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const DATA = path.resolve(REPO, '..', 'shared', 'data');
const argv = process.argv.slice(2);
const split = argv.includes('--split') ? argv[argv.indexOf('--split') + 1] : 'both';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-check-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
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
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function csv(file) {
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const head = lines[0].split(',').map((h) => h.trim());
  return lines.slice(1).map((l) => {
    const c = l.split(',');
    return Object.fromEntries(head.map((h, i) => [h, c[i]]));
  });
}
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function devSets() {
  const all = csv(path.join(DATA, 'chinchilla', 'svg_extracted_data.csv')).map((r) => ({
    N: +r['Model Size'],
    D: +r['Training FLOP'] / (6 * +r['Model Size']),
    loss: +r.loss,
  }));
  const pts = all
    .slice()
    .sort((a, b) => a.loss - b.loss)
    .slice(0, all.length - 5);
  const sets = [['chinchilla-240', pts]];
  for (const seed of [1, 2, 3]) {
    const r = rng(seed);
    sets.push([`chinchilla-half-${seed}`, pts.filter(() => r() < 0.5)]);
  }
  for (const [seed, law] of [
    [11, [400, 1500, 1.7, 0.33, 0.3]],
    [12, [60, 300, 2.2, 0.25, 0.28]],
    [13, [2000, 900, 1.5, 0.45, 0.35]],
  ]) {
    const r = rng(seed),
      gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
    const [A, B, E, al, be] = law,
      out = [];
    for (let i = 0; i < 120; i++) {
      const N = 10 ** (7 + 3 * r()),
        D = N * 10 ** (0.3 + 2 * r());
      out.push({ N, D, loss: (E + A / N ** al + B / D ** be) * Math.exp(0.02 * gauss()) });
    }
    sets.push([`synthetic-${seed}`, out]);
  }
  // Sweep-shaped: a few model sizes × a few token multipliers (as most real sweeps are), 3 % noise.
  for (const [seed, law] of [
    [21, [300, 800, 2.0, 0.3, 0.3]],
    [22, [1000, 5000, 1.2, 0.4, 0.5]],
    [23, [100, 200, 2.5, 0.2, 0.15]],
  ]) {
    const r = rng(seed),
      gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
    const [A, B, E, al, be] = law,
      out = [];
    for (const N of [1e7, 3e7, 1e8, 3e8, 1e9, 3e9])
      for (const m of [5, 10, 20, 40, 80]) {
        const D = N * m;
        out.push({ N, D, loss: (E + A / N ** al + B / D ** be) * Math.exp(0.03 * gauss()) });
      }
    sets.push([`sweep-grid-${seed}`, out]);
  }
  return sets;
}
function holdoutSets() {
  const g = csv(path.join(REPO, 'test', 'fixtures', 'papers', 'gadre2024', 'models.csv'));
  const sets = [];
  for (const ds of ['c4_original', 'rpj', 'rw_original'])
    sets.push([`gadre-${ds}`, g.filter((r) => r.dataset === ds).map((r) => ({ N: +r.N, D: +r.D, loss: +r.loss }))]);
  sets.push([
    'muennighoff-datablations',
    csv(path.join(REPO, 'test', 'fixtures', 'papers', 'muennighoff2023', 'losses.csv')).map((r) => ({
      N: +r.N,
      D: +r.D,
      loss: +r.loss,
    })),
  ]);
  return sets;
}

const summary = {};
for (const [name, sets] of [
  ['dev', split !== 'holdout' ? devSets() : []],
  ['holdout', split !== 'dev' ? holdoutSets() : []],
]) {
  if (!sets.length) continue;
  const rows = [];
  for (const [id, pts] of sets) {
    let c0 = cpuNow();
    const fast = lib.fitChinchilla(pts, { skipDiagnostics: true });
    const tFast = cpuNow() - c0;
    c0 = cpuNow();
    const ex = lib.fitChinchilla(pts, { exhaustive: true, skipDiagnostics: true });
    const tEx = cpuNow() - c0;
    if (!fast.ok || !ex.ok) {
      rows.push({ id, error: fast.ok ? ex.reason : fast.reason });
      continue;
    }
    const rel = (fast.objective - ex.objective) / ex.objective;
    const row = {
      id,
      n: pts.length,
      fast: fast.objective,
      exhaustive: ex.objective,
      rel_excess: rel,
      same: rel <= 1e-8,
      fast_cpu_s: tFast,
      exhaustive_cpu_s: tEx,
      evaluations: fast.diagnostics.evaluations,
    };
    rows.push(row);
    process.stderr.write(
      `[${name}] ${id} (${pts.length} pts): fast ${fast.objective.toPrecision(10)} exhaustive ${ex.objective.toPrecision(10)} rel ${rel.toExponential(2)} ${row.same ? 'same' : 'WORSE'} | ${tFast.toFixed(3)} s vs ${tEx.toFixed(2)} s, ${row.evaluations} evaluations\n`,
    );
  }
  summary[name] = { sets: rows.length, same: rows.filter((r) => r.same).length, rows };
}
console.log(JSON.stringify(summary));
