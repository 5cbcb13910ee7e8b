// Runs the unit tests (pure modules, plain Node) with node's test runner; TypeScript via tsx.
// --reliability adds the heavy fault-injection/fuzz suites at full size (see README "Reliability").
// Any other arguments are test files or globs to run instead of all of test/unit (e.g.
// `node scripts/test-unit.mjs test/unit/fit/*.test.ts`).
import { globSync } from 'glob';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const reliability = args.includes('--reliability');
const patterns = args.filter((a) => !a.startsWith('--'));
const files = [
  ...new Set((patterns.length ? patterns : ['test/unit/**/*.test.ts']).flatMap((p) => globSync(p))),
].sort();
if (files.length === 0) {
  console.error(`no test files match ${patterns.join(' ')}`);
  process.exit(1);
}
const env = { ...process.env };
if (reliability) env.SCALING_LENS_FULL = '1';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env,
});
process.exit(r.status ?? 1);
