// `npm test`: every tier, in order, each printing its own output:
//   system deps → type-check → lint → format check → unit (plain Node) → integration (inside the real VS Code: code-server +
//   headless Chromium) → reliability in VS Code (same launcher, its own sessions) → end-to-end (Playwright on the
//   real workbench, screenshots in test-results/).
// Ends with the failure details of any failed tier (CI shows only the tail of the log), then one line
// "tests: N passed, N failed" summing the test counts of all tiers.
import { spawn } from 'node:child_process';
import { failureExcerpt } from './failure-excerpt.mjs';

const tiers = [
  { name: 'system deps', cmd: 'bash', args: ['scripts/ensure-system-deps.sh'] },
  { name: 'build', cmd: process.execPath, args: ['scripts/build.mjs', '--tests'] },
  { name: 'typecheck', cmd: 'npx', args: ['tsc', '-p', 'tsconfig.json', '--noEmit'] },
  { name: 'typecheck webview', cmd: 'npx', args: ['tsc', '-p', 'webview/tsconfig.json', '--noEmit'] },
  {
    name: 'lint',
    cmd: 'npx',
    args: ['eslint', 'src', 'webview', 'test', 'scripts', 'bench', 'bin', 'eslint.config.mjs'],
  },
  // The tree stays as Prettier writes it (npm run format): a change that is not formatted fails here, in seconds.
  {
    name: 'format',
    cmd: 'npx',
    args: ['prettier', '--check', 'src', 'webview', 'test', 'scripts', 'bench', 'bin', 'eslint.config.mjs'],
  },
  { name: 'unit', cmd: process.execPath, args: ['scripts/test-unit.mjs'], counts: 'node' },
  { name: 'integration', cmd: process.execPath, args: ['test/harness/run-code-server-tests.mjs'], counts: 'mocha' },
  // Leaks, no-network, settings paths, the dashboard soak (reduced: 6 simulated hours) and restricted mode, each in
  // its own code-server (README "Reliability"; SCALING_LENS_FULL=1 for the full size).
  {
    name: 'reliability VS Code',
    cmd: process.execPath,
    args: ['test/harness/run-code-server-tests.mjs', '--session', 'reliability', '--session', 'restricted'],
    counts: 'mocha',
  },
  { name: 'e2e', cmd: process.execPath, args: ['test/e2e/run-e2e.mjs'], counts: 'node' },
];

const only = process.env.SCALING_LENS_TIERS?.split(',');

function run(t) {
  return new Promise((resolve) => {
    const p = spawn(t.cmd, t.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    p.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    p.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function counts(kind, out) {
  // Strip ANSI colour codes before reading the runners' closing lines.
  const o = out.replace(/\x1b\[[0-9;]*m/g, '');
  const last = (re) => {
    const m = [...o.matchAll(re)];
    return m.length ? Number(m[m.length - 1][1]) : 0;
  };
  if (kind === 'node') return { passed: last(/^\s*(?:ℹ|#) pass (\d+)/gm), failed: last(/^\s*(?:ℹ|#) fail (\d+)/gm) };
  if (kind === 'mocha') return { passed: last(/(\d+) passing/g), failed: last(/(\d+) failing/g) };
  return null;
}

let passed = 0,
  failed = 0;
const summary = [];
const failures = [];
for (const t of tiers) {
  if (only && !only.includes(t.name)) continue;
  console.log(`\n===== ${t.name} =====`);
  const t0 = Date.now();
  const r = await run(t);
  const c = t.counts ? counts(t.counts, r.out) : null;
  if (c) {
    passed += c.passed;
    failed += c.failed;
  }
  if (r.code !== 0 && (!c || c.failed === 0)) failed += 1; // a tier that failed without failing a test (crash, type error)
  summary.push(
    `${t.name.padEnd(18)} ${r.code === 0 ? 'ok  ' : 'FAIL'} ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s${c ? `  (${c.passed} passed, ${c.failed} failed)` : ''}`,
  );
  if (r.code !== 0) failures.push(`--- ${t.name} ---`, ...failureExcerpt(r.out));
  if (r.code !== 0 && ['system deps', 'build'].includes(t.name)) break;
}
if (failures.length) console.log('\n===== failures =====\n' + failures.join('\n'));
console.log('\n===== summary =====\n' + summary.join('\n'));
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
