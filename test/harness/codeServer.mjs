// Shared by the offline integration launcher, the end-to-end tests, the demo and the benchmarks:
// installs (once, cached) and starts code-server on 127.0.0.1, and opens its workbench in Debian's headless
// Chromium through playwright-core. Nothing here downloads from anywhere but the npm registry.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from './install-code-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');

/**
 * Installs code-server when it is not in the cache yet (progress on stderr; see install-code-server.mjs), in a
 * child process so that callers stay synchronous; returns its Node binary, entry script and version.
 */
export function installCodeServer() {
  const out = execFileSync(process.execPath, [path.join(here, 'install-code-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  return describe(out.trim().split('\n').pop());
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server bound to 127.0.0.1 only. Returns { url, port, proc, userDataDir, stop() }.
 * `settings` is written as the user settings.json. `workspaceTrust: true` turns Workspace Trust on (folders open
 * in restricted mode until trusted); `nodeArgs` go to Node before code-server's entry (they reach the extension
 * host too, which inherits code-server's execArgv); `env` is added to the environment.
 */
export async function startCodeServer({
  port,
  settings = {},
  quiet = true,
  extensionsDir,
  workspaceTrust = false,
  nodeArgs = [],
  env = {},
} = {}) {
  const cs = installCodeServer();
  port = port ?? (await freePort());
  const tmp = mkdtempSync(path.join(tmpdir(), 'scaling-lens-cs-'));
  const ud = path.join(tmp, 'ud');
  mkdirSync(path.join(ud, 'User'), { recursive: true });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    path.join(ud, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'workbench.enableExperiments': false,
        'security.workspace.trust.enabled': workspaceTrust,
        'chat.disableAIFeatures': true,
        'workbench.tips.enabled': false,
        ...(workspaceTrust
          ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open' }
          : {}),
        ...settings,
      },
      null,
      2,
    ),
  );
  const args = [
    ...nodeArgs,
    cs.entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir',
    ud,
    '--extensions-dir',
    extensionsDir ?? path.join(tmp, 'ext'),
    '--vscode-option',
    'enable-smoke-test-driver',
  ];
  const proc = spawn(cs.node, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
  });
  let output = '';
  const onData = (d) => {
    output += d;
    if (!quiet) process.stderr.write(d);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`code-server exited early (${proc.exitCode}):\n${output}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      proc.kill();
      throw new Error(`code-server did not start in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    proc,
    userDataDir: ud,
    version: cs.version,
    tmp,
    output: () => output,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (proc.exitCode === null) proc.kill('SIGKILL');
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--use-gl=swiftshader',
  '--enable-unsafe-swiftshader',
];

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium (see .ci/run)`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** The workbench URL for a folder (or a `.code-workspace` file), optionally with a smoke-test-driver payload. */
export function workbenchUrl(server, folder, payload) {
  let u = `${server.url}/?${folder.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(folder)}`;
  if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}

export function remoteUri(server, absPath) {
  return `vscode-remote://127.0.0.1:${server.port}${absPath}`;
}
