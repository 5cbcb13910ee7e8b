/**
 * Security, unit level (the lead covers the in-VS Code parts in integration):
 *  - the dashboard HTML's CSP: default-src 'none', scripts by nonce only, no 'unsafe-eval'/'unsafe-inline', no
 *    remote origins; every <script> carries the nonce and one of the two bundle URIs; no inline handlers; the
 *    title is escaped; a cspSource/nonce that could inject directives is refused;
 *  - no network code: `node scripts/build.mjs`, then dist/extension.js and dist/fitWorker.js (and src/**) are
 *    grepped for http/https/net/tls/dns/fetch/WebSocket/XMLHttpRequest use and remote URLs;
 *  - at run time: the pure modules parse every real log and fixture and fit curves in a child process whose
 *    preload (test/reliability/no-network-preload.cjs) turns every network entry point into a recorder — zero
 *    attempts; deliberate attempts at the end prove the recorder works;
 *  - the webview never renders data as HTML (no innerHTML/outerHTML/insertAdjacentHTML/document.write/eval);
 *  - workspace containment (src/model/paths.ts) rejects `../` escapes, sibling prefixes, other drives, NULs
 *    and symlinks pointing outside.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { dashboardHtml, dashboardCsp, makeNonce } from '../../../src/host/dashboardHtml';
import { isInside, isInsideAny, isInsideReal } from '../../../src/model/paths';
import { REPO, SHARED_DATA } from '../helpers/paths';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function unescapeAttr(s: string): string {
  return s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

test('dashboard CSP: default-src none, nonce scripts only, no eval/inline, no remote origins', () => {
  const nonce = makeNonce();
  const uris = {
    scriptUri: `${CSP_SOURCE}/ext/dist/webview.js`,
    elementsUri: `${CSP_SOURCE}/ext/dist/vscode-elements.js`,
    styleUri: `${CSP_SOURCE}/ext/media/dashboard.css`,
  };
  const html = dashboardHtml({ cspSource: CSP_SOURCE, nonce, ...uris, title: '<script>alert(1)</script> "run" \'x\'' });
  const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)];
  assert.equal(metas.length, 1, 'exactly one CSP meta');
  const csp = unescapeAttr(metas[0][1]);
  assert.equal(csp, dashboardCsp(CSP_SOURCE, nonce));
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [k, ...v] = d.split(/\s+/);
        return [k, v] as [string, string[]];
      }),
  );
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`], 'scripts by nonce only');
  for (const [k, v] of directives) {
    for (const src of v) {
      assert.ok(!/unsafe-eval|unsafe-inline|unsafe-hashes|wasm-unsafe-eval|strict-dynamic/.test(src), `${k} ${src}`);
      const allowed =
        src === "'none'" || src === `'nonce-${nonce}'` || src === CSP_SOURCE || (k === 'img-src' && src === 'data:');
      assert.ok(
        allowed,
        `${k}: unexpected source ${src} (remote origins, *, blob:, data: outside img-src are not allowed)`,
      );
    }
  }
  for (const k of ['connect-src', 'frame-src', 'worker-src', 'child-src', 'object-src'])
    assert.ok(!directives.has(k), `${k} must stay under default-src 'none'`);
  // every script element: the nonce and one of the two bundles, no inline code
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  assert.equal(scripts.length, 2);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, new RegExp(`\\bnonce="${nonce}"`));
    const src = /\bsrc="([^"]*)"/.exec(attrs)?.[1];
    assert.ok(src && [uris.scriptUri, uris.elementsUri].includes(unescapeAttr(src)), `script src ${src}`);
    assert.equal(body.trim(), '', 'no inline script');
  }
  assert.equal((html.match(/<script\b/gi) ?? []).length, 2);
  assert.ok(!/\son[a-z]+\s*=/i.test(html), 'no inline event handlers');
  assert.ok(!/\sstyle\s*=/i.test(html), 'no style attributes');
  assert.ok(!html.includes('<script>alert(1)'), 'the title is escaped');
  assert.ok(
    !/\b(?:https?:)?\/\/(?!file\+\.vscode-resource\.vscode-cdn\.net)[a-z0-9.-]+\.[a-z]{2,}/i.test(
      html.replace(/<meta[^>]*Content-Security-Policy[^>]*>/i, ''),
    ),
    'no remote URL in the markup',
  );
  // injection through cspSource / nonce is refused
  assert.throws(() => dashboardCsp("https://x; script-src 'unsafe-eval'", nonce));
  assert.throws(() => dashboardCsp(CSP_SOURCE, "abc' 'unsafe-inline"));
  assert.notEqual(makeNonce(), makeNonce());
});

const NETWORK_CODE =
  /\b(?:https?|http2)\.(?:request|get|connect)\s*\(|\bfetch\s*\(|\bnet\.(?:connect|createConnection)\s*\(|\btls\.connect\s*\(|\bnew\s+WebSocket\b|\bXMLHttpRequest\b|\bEventSource\b|require\(\s*["'](?:node:)?(?:http|https|http2|net|tls|dns|dgram)["']\s*\)|from\s+["'](?:node:)?(?:http|https|http2|net|tls|dns|dgram)["']/g;
const REMOTE_URL = /\b(?:https?|wss?):\/\/[^\s"'`)<>\]]+/g;

test('no network code in the extension and worker bundles or in src/', { timeout: 180_000 }, () => {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8', timeout: 170_000 });
  assert.equal(b.status, 0, `node scripts/build.mjs failed:\n${b.stdout}\n${b.stderr}`);
  const report: string[] = [];
  for (const f of ['dist/extension.js', 'dist/fitWorker.js']) {
    const text = fs.readFileSync(path.join(REPO, f), 'utf8');
    const calls = [...text.matchAll(NETWORK_CODE)].map((m) => m[0]);
    const urls = [...new Set([...text.matchAll(REMOTE_URL)].map((m) => m[0]))];
    report.push(
      `${f}: ${(text.length / 1024).toFixed(0)} KB, network calls ${calls.length}, remote URLs ${urls.length}`,
    );
    assert.deepEqual(calls, [], `${f} contains network code`);
    assert.deepEqual(urls, [], `${f} contains remote URLs (review: are they fetched at run time?)`);
  }
  // source level too (all of src/ ships in those bundles or the CLI)
  const offenders: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ts$/.test(e.name)) {
        const code = fs
          .readFileSync(p, 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
        for (const m of code.matchAll(NETWORK_CODE)) offenders.push(`${path.relative(REPO, p)}: ${m[0]}`);
      }
    }
  };
  walk(path.join(REPO, 'src'));
  assert.deepEqual(offenders, []);
  console.log(`no-network (static): ${report.join('; ')}; src/ clean`);
});

test(
  'no network attempt at run time: parse all real logs + fit curves with network entry points trapped',
  { timeout: 300_000 },
  () => {
    const log = path.join(os.tmpdir(), `sl-net-${process.pid}.json`);
    const r = spawnSync(
      process.execPath,
      [
        '--require',
        './test/reliability/no-network-preload.cjs',
        '--import',
        'tsx',
        'test/reliability/offline-workload.ts',
        path.join(SHARED_DATA, 'logs'),
        path.join(REPO, 'test', 'fixtures'),
      ],
      { cwd: REPO, encoding: 'utf8', env: { ...process.env, SL_NET_LOG: log }, timeout: 290_000 },
    );
    assert.equal(r.status, 0, `workload failed:\n${r.stdout}\n${r.stderr}`);
    const attempts = JSON.parse(fs.readFileSync(log, 'utf8')) as {
      what: string;
      target: string;
      phase: string;
      stack: string;
    }[];
    fs.rmSync(log, { force: true });
    // tsx (the test's TypeScript loader, not shipped) talks to its own local IPC pipe; everything else counts
    const real = attempts.filter((a) => !/node_modules[\\/]tsx[\\/]/.test(a.stack));
    const stats = JSON.parse(r.stdout.split('\n')[0]) as {
      runs: number;
      points: number;
      curveFits: number;
      okFits: number;
    };
    const deliberate = real.filter((a) => a.phase === 'deliberate');
    const during = real.filter((a) => a.phase !== 'deliberate').length;
    console.log(
      `no-network (runtime): ${stats.runs} runs, ${stats.points} points parsed, ${stats.okFits}/${stats.curveFits} curve fits; attempts during the workload: ${during}; deliberate attempts caught: ${deliberate.length}`,
    );
    assert.ok(stats.runs >= 20 && stats.points > 50_000 && stats.curveFits >= 3, 'the workload really ran');
    assert.equal(during, 0, `network attempts: ${JSON.stringify(real.slice(0, 5))}`);
    assert.deepEqual(
      deliberate.map((a) => a.what).sort(),
      ['fetch', 'https.request', 'net.connect'],
      'the preload catches fetch, https.request and net.connect',
    );
  },
);

test('webview: data is never rendered as HTML', () => {
  const dir = path.join(REPO, 'webview');
  const offenders: string[] = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    const code = fs
      .readFileSync(path.join(dir, f), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    for (const m of code.matchAll(
      /\.(?:innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML\s*\(|document\.write(?:ln)?\s*\(|\beval\s*\(|new\s+Function\s*\(|DOMParser|createContextualFragment|srcdoc/g,
    ))
      offenders.push(`webview/${f}: ${m[0]}`);
  }
  assert.deepEqual(offenders, []);
});

test('paths: workspace containment rejects ../ escapes, sibling prefixes, other drives, NULs, outside symlinks', async () => {
  const root = '/w/proj';
  for (const p of ['/w/proj', '/w/proj/', '/w/proj/a/train.log', '/w/proj/./a/../b.log', '/w/proj/..foo/x.log'])
    assert.ok(isInside(root, p), p);
  for (const p of [
    '/w/proj/../etc/passwd',
    '/w/proj/a/../../etc',
    '/w/proj2/x.log',
    '/w/pro',
    '/',
    '/etc/passwd',
    '/w/proj/\0x',
    '',
  ])
    assert.ok(!isInside(root, p), p);
  assert.ok(isInside('/w/proj/', '/w/proj/a'), 'root with a trailing separator');
  assert.ok(isInside('/', '/anything'), 'the file-system root contains everything');
  const w = path.win32;
  assert.ok(isInside('C:\\w\\proj', 'c:/W/Proj/a.log', w), 'win32: case and separators');
  for (const p of ['C:\\w\\proj\\..\\x', 'D:\\w\\proj\\a', 'C:\\w\\proj2\\a', '\\\\server\\share\\a'])
    assert.ok(!isInside('C:\\w\\proj', p, w), p);
  assert.ok(isInsideAny(['/a', '/w/proj'], '/w/proj/x') && !isInsideAny(['/a', '/b'], '/w/proj/x'));
  // symlinks
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-paths-'));
  try {
    const ws = path.join(tmp, 'ws');
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(ws);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.log'), 'x');
    fs.writeFileSync(path.join(ws, 'train.log'), 'x');
    fs.symlinkSync(outside, path.join(ws, 'link'));
    assert.ok(await isInsideReal([ws], path.join(ws, 'train.log')));
    assert.ok(isInside(ws, path.join(ws, 'link', 'secret.log')), 'lexically inside…');
    assert.ok(!(await isInsideReal([ws], path.join(ws, 'link', 'secret.log'))), '…but really outside');
    assert.ok(!(await isInsideReal([ws], path.join(ws, '..', 'outside', 'secret.log'))));
    assert.ok(await isInsideReal([ws], path.join(ws, 'not-yet.log')), 'a missing path is judged lexically');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
