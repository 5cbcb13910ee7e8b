// Offline integration launcher: runs mocha suites inside the REAL VS Code extension host of code-server, with
// the workbench opened in headless Chromium (the smoke-test driver reports the extension host's console and exit
// code back to us). Same suites as the @vscode/test-electron launcher.
//
//   node test/harness/run-code-server-tests.mjs [--session main|reliability|restricted]…   (default: main)
//
// Sessions (each its own code-server, workspace and suites folder under out/test/integration/):
//   main         suite/        the fixture workspace (test/fixtures/workspace), Workspace Trust off;
//   reliability  reliability/  the sample workspace opened as a .code-workspace (so folders can be added and
//                              removed without restarting the extension host), with every network entry point of
//                              the extension host recorded (test/reliability/no-network-exthost.cjs); the
//                              dashboard soak runs here (SCALING_LENS_FULL=1: the full 24 simulated hours);
//   restricted   restricted/   Workspace Trust on and the folder not trusted; the suite asks this launcher to
//                              press "Trust" in the workbench when it wants the workspace trusted.
// Ends with "[integration] total: N passing, M failing" over all sessions.
import * as path from 'node:path';
import { mkdtempSync, cpSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { REPO, startCodeServer, launchBrowser, workbenchUrl, remoteUri } from './codeServer.mjs';

/** console.log-style formatting (%s, %d, %i, %f, %o, %j) of the arguments the extension host logged. */
function formatConsole(args) {
  const str = (a) => (typeof a === 'string' ? a : JSON.stringify(a));
  if (typeof args[0] !== 'string' || !args[0].includes('%')) return args.map(str).join(' ');
  let i = 1;
  const head = args[0].replace(/%[sdifoOj%]/g, (m) => (m === '%%' ? '%' : i < args.length ? str(args[i++]) : m));
  return [head, ...args.slice(i).map(str)].join(' ');
}

const TIMEOUT_MS = Number(process.env.INTEGRATION_TIMEOUT_MS || 8 * 60_000);
const FULL = process.env.SCALING_LENS_FULL === '1';

/** A fresh copy of a folder of the repository in a temp dir (tests write into their workspace). */
function copyToTemp(rel, prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cpSync(path.join(REPO, rel), path.join(dir, 'ws'), { recursive: true });
  return { root: dir, folder: path.join(dir, 'ws') };
}

/** Marks what the restricted suite prints when it wants the workspace trusted (see restricted/trust.test.ts). */
const TRUST_REQUEST = '[sl-trust] please trust the workspace';

const SESSIONS = {
  main: () => {
    const { root, folder } = copyToTemp(path.join('test', 'fixtures', 'workspace'), 'scaling-lens-ws-');
    return {
      root,
      open: folder,
      suites: 'suite',
      server: { settings: { 'scalingLens.liveTimeoutSeconds': 30, 'scalingLens.maxFiles': 3000 } },
    };
  },
  reliability: () => {
    const { root, folder } = copyToTemp('sample-workspace', 'scaling-lens-rel-');
    const wsFile = path.join(root, 'reliability.code-workspace');
    writeFileSync(wsFile, JSON.stringify({ folders: [{ path: 'ws' }], settings: {} }, null, 2));
    // The soak's log folder exists before the watchers start (a folder created later raises no watcher events
    // under code-server here; the extension then falls back to polling, measured separately).
    mkdirSync(path.join(folder, 'soak', 'gpt-soak'), { recursive: true });
    const netLog = path.join(root, 'net-attempts.jsonl');
    writeFileSync(netLog, '');
    return {
      root,
      open: wsFile,
      suites: 'reliability',
      server: {
        // VS Code's own proxy support would wrap fetch/http for every extension; off, so the recorder sees calls directly.
        settings: {
          'scalingLens.liveTimeoutSeconds': 600,
          'http.proxySupport': 'off',
          'http.fetchAdditionalSupport': false,
        },
        nodeArgs: ['--require', path.join(REPO, 'test', 'reliability', 'no-network-exthost.cjs')],
        env: {
          SL_NET_LOG: netLog,
          SL_NET_OURS: `${path.join(REPO, 'dist')}${path.sep}`,
          SL_SCRATCH: path.join(root, 'scratch'),
        },
      },
    };
  },
  restricted: () => {
    const root = mkdtempSync(path.join(tmpdir(), 'scaling-lens-restricted-'));
    const folder = path.join(root, 'ws');
    cpSync(path.join(REPO, 'test', 'fixtures', 'workspace'), folder, { recursive: true });
    mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    mkdirSync(path.join(folder, 'custom'), { recursive: true });
    // Workspace-level settings an untrusted workspace must not get to apply: a user regex and a parameter mapping.
    writeFileSync(
      path.join(folder, '.vscode', 'settings.json'),
      JSON.stringify(
        {
          'scalingLens.customPatterns': [
            { metric: 'custom/score', regex: '^EVAL round=(?<step>\\d+) score=(?<value>[-+0-9.eE]+)$' },
          ],
          'scalingLens.runParameters': { 'custom/trusted-only.log': 123000000 },
        },
        null,
        2,
      ),
    );
    let s = '';
    for (let i = 1; i <= 40; i++) s += `EVAL round=${i * 10} score=${(1 - 1 / (i + 1)).toFixed(4)}\n`;
    writeFileSync(path.join(folder, 'custom', 'trusted-only.log'), s);
    return {
      root,
      open: folder,
      suites: 'restricted',
      server: { workspaceTrust: true, settings: { 'scalingLens.liveTimeoutSeconds': 30 } },
    };
  },
};

async function grantTrust(page) {
  // The suite has opened the Workspace Trust editor (workbench.trust.manage): press its "Trust" button.
  const button = page
    .locator('.workspace-trust-editor .monaco-button')
    .filter({ hasText: /^\s*Trust\s*$/ })
    .first();
  try {
    await button.waitFor({ state: 'visible', timeout: 30_000 });
    await button.click();
  } catch (e) {
    await page.screenshot({ path: path.join(tmpdir(), 'scaling-lens-trust-editor.png') }).catch(() => {});
    throw e;
  }
}

async function runSession(name, browser) {
  const s = SESSIONS[name]();
  const server = await startCodeServer({
    ...s.server,
    env: { ...(s.server.env ?? {}), SCALING_LENS_SUITES: s.suites, ...(FULL ? { SCALING_LENS_FULL: '1' } : {}) },
  });
  console.log(`[integration:${name}] code-server ${server.version} on ${server.url}, workspace ${s.open}`);
  let code = 1;
  let passing = 0,
    failing = 0;
  /** The suites' own success line: an exit code alone is not trusted (a lost extension-host connection reports 0). */
  let sawPass = false,
    galleryNoted = 0;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    const done = new Promise((resolve) => {
      page.exposeFunction('codeAutomationLog', (type, args) => {
        const text = formatConsole(Array.isArray(args) ? args : [args]);
        if (/^\s*$/.test(text)) return;
        // The workbench asks the extension gallery for updates; offline that fails with a long stack each time.
        if (/ENOTFOUND open-vsx\.org/.test(text)) {
          if (!galleryNoted++)
            console.log(
              '[integration] (the workbench cannot reach the extension gallery, as expected offline; further such errors are not shown)',
            );
          return;
        }
        if (text.includes('[integration] all suites passed')) sawPass = true;
        const p = /^\s*(\d+) passing/.exec(text);
        if (p) passing = Number(p[1]);
        const f = /^\s*(\d+) failing/.exec(text);
        if (f) failing = Number(f[1]);
        if (text.includes(TRUST_REQUEST))
          grantTrust(page).catch((e) => console.error(`[integration:${name}] could not press Trust: ${e.message}`));
        console.log(text);
      });
      page.exposeFunction('codeAutomationExit', (c) => resolve(c));
    });
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server, REPO)],
      ['extensionTestsPath', remoteUri(server, path.join(REPO, 'out', 'test', 'integration', 'index.js'))],
      ['skipWelcome', 'true'],
    ];
    await page.goto(workbenchUrl(server, s.open, payload));
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), FULL ? 4 * TIMEOUT_MS : TIMEOUT_MS));
    const r = await Promise.race([done, timeout]);
    if (r === 'timeout') {
      console.error(`[integration:${name}] no result after ${TIMEOUT_MS / 1000} s`);
      code = 1;
    } else code = Number(r);
    if (code === 0 && !sawPass) {
      console.error(
        `[integration:${name}] the workbench reported success but the suites never said so (extension host lost?)`,
      );
      code = 1;
    }
  } catch (e) {
    console.error(`[integration:${name}] launcher failed:`, e);
    code = 1;
  } finally {
    await page.close().catch(() => {});
    await server.stop();
    rmSync(s.root, { recursive: true, force: true });
  }
  if (code !== 0 && failing === 0) failing = 1; // a session that failed without a failing test (crash, timeout)
  console.log(`[integration:${name}] exit code ${code}`);
  return { code, passing, failing };
}

const names = [];
for (let i = 2; i < process.argv.length; i++) if (process.argv[i] === '--session') names.push(process.argv[++i]);
if (!names.length) names.push('main');
for (const n of names)
  if (!SESSIONS[n]) {
    console.error(`unknown session ${n} (${Object.keys(SESSIONS).join(', ')})`);
    process.exit(2);
  }

const browser = await launchBrowser();
let passing = 0,
  failing = 0,
  code = 0;
try {
  for (const n of names) {
    const r = await runSession(n, browser);
    passing += r.passing;
    failing += r.failing;
    if (r.code !== 0) code = 1;
  }
} finally {
  await browser.close().catch(() => {});
}
if (names.length > 1) console.log(`[integration] total: ${passing} passing, ${failing} failing`);
console.log(`[integration] exit code ${code}`);
process.exit(code);
