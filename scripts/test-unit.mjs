// Runs the unit tests (pure modules, plain Node) with node's test runner; TypeScript via tsx.
// --reliability adds the heavy fault-injection/fuzz suites at full size (see README "Reliability").
import { globSync } from 'glob';
import { spawnSync } from 'node:child_process';

const reliability = process.argv.includes('--reliability');
const files = globSync('test/unit/**/*.test.ts').sort();
const env = { ...process.env };
if (reliability) env.SCALING_LENS_FULL = '1';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
