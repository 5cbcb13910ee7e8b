#!/usr/bin/env node
// `npm run demo`: builds Scaling Lens, packages it as a .vsix, installs it into a fresh extensions dir of a
// local code-server, opens a temporary copy of sample-workspace/ in it and keeps the copy's live run
// training (scripts/live-appender.mjs). Prints the URL to open. Ctrl-C stops everything and removes the
// temporary files. Nothing leaves 127.0.0.1; nothing is downloaded except code-server from the npm registry
// on first use (cached, see test/harness/install-code-server.sh).
//
// Usage: node scripts/demo.mjs [--port <n>] [--no-build] [--no-live] [--interval <ms>] [--verbose] [--smoke]
//   --port      port for code-server (default $PORT or 8080; a free port is used if it is taken)
//   --no-build  skip the production build (package dist/ as it is)
//   --no-live   do not append to the live run
//   --interval  live appender interval in ms (default 1000)
//   --verbose   show code-server's own output
//   --smoke     instead of waiting for Ctrl-C: open the workbench in headless Chromium, wait until the Scaling
//               Lens runs view lists every run of the sample workspace, exit 0 (non-zero with the reason and a
//               screenshot in test-results/ otherwise). CI runs it after the tests.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, existsSync, readdirSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCodeServer, startCodeServer, freePort, workbenchUrl } from '../test/harness/codeServer.mjs';
import { startAppender } from './live-appender.mjs';
import { packageExtension } from './package.mjs';
import { smokeCheck } from './demo-smoke.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (...a) => console.log('[demo]', ...a);

function parseArgs(argv) {
  const o = {
    port: process.env.PORT ? Number(process.env.PORT) : 8080,
    build: true,
    live: true,
    interval: 1000,
    verbose: false,
    smoke: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') o.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) o.port = Number(a.slice(7));
    else if (a === '--no-build') o.build = false;
    else if (a === '--no-live') o.live = false;
    else if (a === '--interval') o.interval = Number(argv[++i]);
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--smoke') o.smoke = true;
    else if (a === '--help' || a === '-h') {
      console.log(
        'Usage: node scripts/demo.mjs [--port <n>] [--no-build] [--no-live] [--interval <ms>] [--verbose] [--smoke]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error(`bad port: ${o.port}`);
  return o;
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * A fresh copy has every file modified "now", which would make every finished run look live. Date the copy
 * like a real sweep: runs finished over the last two days; only the live run's log keeps growing.
 */
function ageFinishedRuns(root) {
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(root);
  files.sort();
  const now = Date.now() / 1000;
  files.forEach((f, i) => {
    if (f.includes(`${path.sep}live${path.sep}`)) return;
    const t = now - 2 * 86400 + i * 1800;
    utimesSync(f, t, t);
  });
}

function run(cmd, args, what, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    process.stderr.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
    throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
  }
  return r;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const tmp = mkdtempSync(path.join(tmpdir(), 'scaling-lens-demo-'));
  const cleanups = [() => rmSync(tmp, { recursive: true, force: true })];
  let stopping = false;
  const stopAll = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        /* keep going */
      }
    }
    process.exit(code);
  };
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));

  try {
    const vsix = path.join(tmp, 'scaling-lens.vsix');
    say(`${o.build ? 'building and ' : ''}packaging the extension (scripts/package.mjs)…`);
    packageExtension({ out: vsix, build: o.build });

    const workspace = path.join(tmp, 'sample-workspace');
    cpSync(path.join(REPO, 'sample-workspace'), workspace, { recursive: true });
    ageFinishedRuns(workspace);

    say('installing code-server (cached after the first run) and the extension…');
    const cs = installCodeServer();
    const extensionsDir = path.join(tmp, 'extensions');
    run(
      cs.node,
      [
        cs.entry,
        '--extensions-dir',
        extensionsDir,
        '--user-data-dir',
        path.join(tmp, 'install-ud'),
        '--install-extension',
        vsix,
      ],
      'code-server --install-extension',
      { env: { ...process.env, NODE_OPTIONS: '' } },
    );

    let port = o.smoke ? 0 : o.port;
    if (port === 0 || !(await portFree(port))) {
      const wanted = port;
      port = await freePort();
      if (wanted) say(`port ${wanted} is busy, using ${port}`);
    }
    const server = await startCodeServer({ port, extensionsDir, quiet: !o.verbose });
    cleanups.push(() => server.stop());
    server.proc.on('exit', (c, sig) => {
      if (!stopping) {
        console.error(`[demo] code-server exited (${c ?? sig})\n${server.output().slice(-2000)}`);
        stopAll(1);
      }
    });

    if (o.live) {
      const appender = startAppender({
        file: path.join(workspace, 'live', 'gpt-85M-live', 'train.log'),
        interval: o.interval,
        quiet: true,
      });
      cleanups.push(() => appender.stop());
    }

    const url = workbenchUrl(server, workspace);
    if (o.smoke) {
      say(`smoke check: opening ${url} in headless Chromium…`);
      const r = await smokeCheck({
        url,
        workspace,
        sample: path.join(REPO, 'sample-workspace'),
        out: path.join(REPO, 'test-results'),
      });
      say(r.ok ? `smoke check passed: ${r.message}` : `smoke check FAILED: ${r.message}`);
      await stopAll(r.ok ? 0 : 1);
      return;
    }
    console.log(`
  Scaling Lens demo (code-server ${server.version}) is running.

    Open:      ${url}
    Workspace: ${workspace}  (a temporary copy of sample-workspace/)
    Live run:  ${o.live ? `live/gpt-85M-live/train.log grows by one nanoGPT line every ${o.interval} ms` : 'off (--no-live)'}

  Press Ctrl-C to stop code-server and the live run and delete the temporary copy.
`);
    await new Promise(() => {}); // until a signal
  } catch (e) {
    console.error(`[demo] ${e.message}`);
    await stopAll(1);
  }
}

if (!existsSync(path.join(REPO, 'node_modules'))) {
  console.error('[demo] run npm install first');
  process.exit(1);
}
main();
