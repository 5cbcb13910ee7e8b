// Offline integration launcher: runs the mocha suites in out/test/integration inside the REAL VS Code extension
// host of code-server, with the workbench opened in headless Chromium (the smoke-test driver reports the
// extension host's console and exit code back to us). Same suites as the @vscode/test-electron launcher.
import * as path from 'node:path';
import { mkdtempSync, cpSync } from 'node:fs';
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

// Each run gets a fresh copy of the fixture workspace (tests append to logs in it).
const workspace = mkdtempSync(path.join(tmpdir(), 'scaling-lens-ws-'));
cpSync(path.join(REPO, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });

const server = await startCodeServer({ settings: { 'scalingLens.liveTimeoutSeconds': 30, 'scalingLens.maxFiles': 3000 } });
console.log(`[integration] code-server ${server.version} on ${server.url}, workspace ${workspace}`);
const browser = await launchBrowser();
let code = 1;
/** The suites' own success line: an exit code alone is not trusted (a lost extension-host connection reports 0). */
let sawPass = false;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const done = new Promise((resolve) => {
    page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = formatConsole(Array.isArray(args) ? args : [args]);
      if (/^\s*$/.test(text)) return;
      if (text.includes('[integration] all suites passed')) sawPass = true;
      console.log(text);
    });
    page.exposeFunction('codeAutomationExit', (c) => resolve(c));
  });
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server, REPO)],
    ['extensionTestsPath', remoteUri(server, path.join(REPO, 'out', 'test', 'integration', 'index.js'))],
    ['skipWelcome', 'true'],
  ];
  await page.goto(workbenchUrl(server, workspace, payload));
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), TIMEOUT_MS));
  const r = await Promise.race([done, timeout]);
  if (r === 'timeout') { console.error(`[integration] no result after ${TIMEOUT_MS / 1000} s`); code = 1; }
  else code = Number(r);
  if (code === 0 && !sawPass) { console.error('[integration] the workbench reported success but the suites never said so (extension host lost?)'); code = 1; }
} catch (e) {
  console.error('[integration] launcher failed:', e);
  code = 1;
} finally {
  await browser.close().catch(() => {});
  await server.stop();
}
console.log(`[integration] exit code ${code}`);
process.exit(code);
