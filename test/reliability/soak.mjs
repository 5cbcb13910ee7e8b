#!/usr/bin/env node
// Full soak: a simulated 24-hour live run at 10 lines/s (864,000 lines) through LogFile + RunModel + decimation
// + anomaly checks; prints heap/RSS per simulated hour and bytes per point. Exit code 1 when a bound fails.
//   node test/reliability/soak.mjs [hours]      (default 24)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const hours = Number(process.argv[2] ?? 24);
const r = spawnSync(
  process.execPath,
  ['--expose-gc', '--import', 'tsx', path.join(here, 'soakMain.ts'), String(hours)],
  { stdio: 'inherit', cwd: path.resolve(here, '..', '..') },
);
process.exit(r.status ?? 1);
