// Editor-experience benchmarks in the real VS Code (code-server + headless Chromium): builds the host-side
// bench entry (test/bench-host/index.ts), prepares a workspace (a 1M-line log, a 1-line log, a live log, 100 runs),
// runs it in the extension host and prints the JSON it reports as the last line of stdout (see bench/run.mjs);
// then the first-sweep phase (bench/editorFirstSweep.mjs: opening ≥ 100 real runs → first sweep fit).
// `BENCH_EDITOR_PHASES=scan` (comma-separated: hover, append, fits, scan, firstSweep) runs only those phases (quick
// iterations; the 1M-line log is then written only for `hover`).
// Two extensions are loaded for development: a copy of ours whose only activation is on demand (so the bench
// activates it and times it), and an empty extension activated the same way (the activation baseline).
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { REPO, startCodeServer, launchBrowser, workbenchUrl, remoteUri } from '../test/harness/codeServer.mjs';
import { firstSweep } from './editorFirstSweep.mjs';

const err = (...a) => console.error('[editor-bench]', ...a);
const PHASES = process.env.BENCH_EDITOR_PHASES?.split(',').map((x) => x.trim());
const want = (phase) => !PHASES || PHASES.includes(phase);
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
await esbuild.build({
  entryPoints: [path.join(REPO, 'test/bench-host/index.ts')],
  outfile: path.join(REPO, 'out/bench-host/index.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  logLevel: 'warning',
});

const tmp = fs.mkdtempSync(path.join(tmpdir(), 'scaling-lens-bench-'));
const ws = path.join(tmp, 'ws');
for (const d of ['big', 'tiny', 'live', 'many']) fs.mkdirSync(path.join(ws, d), { recursive: true });
// Our extension, activated only when the bench asks (no workspaceContains activation at start-up).
const extOurs = path.join(tmp, 'ext-ours');
fs.mkdirSync(extOurs);
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
pkg.activationEvents = ['onWebviewPanel:scalingLens.dashboard'];
fs.writeFileSync(path.join(extOurs, 'package.json'), JSON.stringify(pkg, null, 2));
fs.cpSync(path.join(REPO, 'dist'), path.join(extOurs, 'dist'), { recursive: true });
fs.cpSync(path.join(REPO, 'media'), path.join(extOurs, 'media'), { recursive: true });
// The baseline: an extension whose activate() does nothing, installed in the server's extensions folder (only one
// development extension can be loaded at a time here), activated on demand like ours.
const extsDir = path.join(tmp, 'extensions');
const extEmpty = path.join(extsDir, 'scaling-lens.empty-bench-extension-0.0.1');
fs.mkdirSync(extEmpty, { recursive: true });
fs.writeFileSync(
  path.join(extsDir, 'extensions.json'),
  JSON.stringify([
    {
      identifier: { id: 'scaling-lens.empty-bench-extension' },
      version: '0.0.1',
      location: { $mid: 1, path: extEmpty, scheme: 'file' },
      relativeLocation: path.basename(extEmpty),
      metadata: { installedTimestamp: Date.now(), source: 'vsix' },
    },
  ]),
);
fs.writeFileSync(
  path.join(extEmpty, 'package.json'),
  JSON.stringify({
    name: 'empty-bench-extension',
    publisher: 'scaling-lens',
    version: '0.0.1',
    engines: { vscode: '^1.90.0' },
    main: './extension.js',
    activationEvents: [],
  }),
);
fs.writeFileSync(
  path.join(extEmpty, 'extension.js'),
  'exports.activate = function () { return {}; };\nexports.deactivate = function () {};\n',
);
fs.writeFileSync(path.join(ws, 'tiny', 'main.log'), 's:0 trl:3.1234\n');
// 1,000,000-line llm.c log (s:N trl:X): ~21 MB, under VS Code's 50 MB limit for documents synced to extensions.
if (want('hover')) {
  const fd = fs.openSync(path.join(ws, 'big', 'main.log'), 'w');
  let buf = '';
  for (let i = 0; i < 1_000_000; i++) {
    buf += `s:${i} trl:${(2.5 + 8 * (i + 10) ** -0.3).toFixed(4)}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}
let live = 'number of parameters: 44.64M\n';
for (let i = 0; i < 2000; i++)
  live += `iter ${i}: loss ${(2.5 + 8 * (i + 10) ** -0.3).toFixed(4)}, time 100.00ms, mfu 30.00%\n`;
fs.writeFileSync(path.join(ws, 'live', 'train.log'), live);
for (let r = 0; r < 100; r++) {
  let s = `number of parameters: ${(10 + r).toFixed(2)}M\n`;
  for (let i = 0; i < 2000; i++)
    s += `iter ${i * 10}: loss ${(2 + r / 100 + 8 * (i * 10 + 20) ** -(0.3 + r / 1000)).toFixed(4)}, time 100.00ms, mfu 30.00%\n`;
  fs.mkdirSync(path.join(ws, 'many', `run${r}`));
  fs.writeFileSync(path.join(ws, 'many', `run${r}`, 'train.log'), s);
}

// VS Code's port auto-forwarding (a remote feature: code-server's extension host spawns processes every few seconds
// to list listening ports, `findCandidatePorts`) held the host's loop for up to 75 ms of its own CPU in the scan
// phase's profile: off, so the figures measure this extension, not that.
const server = await startCodeServer({
  settings: { 'scalingLens.liveTimeoutSeconds': 600, 'remote.autoForwardPorts': false },
  extensionsDir: extsDir,
});
const browser = await launchBrowser();
let result;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const webviewProfile = process.env.BENCH_WEBVIEW_PROFILE ? await browserProfiler(page) : undefined;
  const done = new Promise((resolve) => {
    page.exposeFunction('codeAutomationLog', (_t, args) => {
      const s = (Array.isArray(args) ? args : [args]).map(String).join(' ');
      if (s.startsWith('BENCH_JSON ')) result = JSON.parse(s.slice('BENCH_JSON '.length));
      else if (process.env.BENCH_VERBOSE) err(s);
      if (webviewProfile && s.startsWith('[bench-host] mark '))
        webviewProfile.mark(s.slice('[bench-host] mark '.length));
    });
    page.exposeFunction('codeAutomationExit', (c) => resolve(c));
  });
  await page.goto(
    workbenchUrl(server, ws, [
      ['extensionDevelopmentPath', remoteUri(server, extOurs)],
      ['extensionTestsPath', remoteUri(server, path.join(REPO, 'out/bench-host/index.js'))],
      ['skipWelcome', 'true'],
    ]),
  );
  const code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), 15 * 60_000))]);
  err(`host bench finished: ${code}`);
  if (webviewProfile) await webviewProfile.stop();
} finally {
  // browser.close() has been seen to never settle after the workbench exited: bound it.
  await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (!result) {
  err('no BENCH_JSON received');
  process.exit(1);
}
/**
 * `BENCH_WEBVIEW_PROFILE=<file>`: a CPU profile of the browser side (the workbench's renderer, where a same-origin
 * webview runs too, and any out-of-process webview frame), from the host bench's `mark scan-start` to its `mark
 * scan-end` (the pong after the scan), written as `<file>` (and `<file>.<n>` per separate frame session). Its top
 * self time by script is printed, with the time of each stretch between marks, so the webview's own work
 * (dist/webview.js) is told from the workbench's.
 */
async function browserProfiler(page) {
  const sessions = [await page.context().newCDPSession(page)];
  const marks = [];
  let running = false;
  const start = async () => {
    // Frames with a session of their own (out-of-process iframes); a same-process frame throws and is profiled with the page.
    for (const f of page.frames())
      try {
        if (f !== page.mainFrame()) sessions.push(await page.context().newCDPSession(f));
      } catch {
        /* same process as the page */
      }
    err(`profiling ${sessions.length} session(s)`);
    for (const s of sessions) {
      await s.send('Profiler.enable');
      await s.send('Profiler.setSamplingInterval', { interval: 1000 });
      await s.send('Profiler.start');
    }
    running = true;
  };
  const stop = async () => {
    if (!running) return;
    running = false;
    const { sampleTimes } = await import('../test/webview-preview/cpuProfile.mjs');
    let n = 0;
    for (const s of sessions) {
      const { profile } = await s.send('Profiler.stop');
      const file = process.env.BENCH_WEBVIEW_PROFILE + (n ? `.${n}` : '');
      fs.writeFileSync(file, JSON.stringify(profile));
      const dt = sampleTimes(profile);
      const byUrl = new Map(),
        self = new Map();
      for (const nd of profile.nodes) {
        const f = nd.callFrame,
          us = dt.get(nd.id) ?? 0,
          url = f.url ? f.url.split('?')[0].split('/').slice(-2).join('/') : `(${f.functionName || 'native'})`;
        byUrl.set(url, (byUrl.get(url) ?? 0) + us);
        const key = `${f.functionName || '(anonymous)'} ${f.url.split('?')[0].split('/').pop()}:${f.lineNumber + 1}`;
        self.set(key, (self.get(key) ?? 0) + us);
      }
      const ms = (us) => String(Math.round(us / 1000)).padStart(8) + ' ms';
      err(
        `profile ${file}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s; marks ${JSON.stringify(marks)}`,
      );
      err('self time by script:');
      for (const [k, us] of [...byUrl].sort((a, b) => b[1] - a[1]).slice(0, 12)) err(ms(us), k);
      err('self time by function:');
      for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) err(ms(us), k);
      n++;
    }
  };
  const t0 = Date.now();
  return {
    mark: (m) => {
      marks.push([m, Date.now() - t0]);
      if (m === 'scan-start') void start();
      if (m === 'scan-end') void stop();
    },
    stop,
  };
}

// Opening a workspace of ≥ 100 real runs → its first sweep fit, next to the same for the fixture workspace (each in
// its own code-server: the extension must activate as VS Code decides, not on demand as above).
if (want('firstSweep'))
  try {
    result.firstSweep = await firstSweep({ reps: process.argv.includes('--full') ? 3 : 1, build: false });
  } catch (e) {
    result.firstSweep = { error: String(e.message ?? e) };
  }
// Exit once written: a leftover handle (a half-closed browser connection) must not keep the bench waiting.
process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
