/** Runs the CLI as a child process (bundled once per test file with esbuild into a temp dir). */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';

let bundle: string | undefined;

export function cliBundle(): string {
  if (bundle) return bundle;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-cli-test-'));
  const out = path.join(dir, 'cli.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({
    entryPoints: [path.join(REPO, 'src', 'cli', 'main.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    logLevel: 'error',
  });
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  bundle = out;
  return out;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { timeoutMs?: number } = {}): CliRun {
  const r = spawnSync(process.execPath, [cliBundle(), ...args], {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 1 << 28,
    cwd: REPO,
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Restores the CLI's JSON encoding of non-finite numbers ("NaN", "Infinity", "-Infinity"). */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  throw new Error(`not a JSON number: ${JSON.stringify(v)}`);
}

export function tmpFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-cli-data-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}
