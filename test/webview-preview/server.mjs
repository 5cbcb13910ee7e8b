// Preview harness for the dashboard webview: builds dist/webview.js (only the webview bundle, so it works while
// other parts of the tree are mid-change), then serves the real dashboard HTML (src/host/dashboardHtml.ts, with its
// CSP, the page origin standing in for webview.cspSource) plus a fake VS Code host on 127.0.0.1, random port.
import * as esbuild from 'esbuild';
import { createServer } from 'node:http';
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeManyState, makeState } from './fake-state.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '..', '..');

/** Bundles the webview like scripts/build.mjs does, and the HTML builder for this process. */
export async function buildPreview() {
  mkdirSync(join(REPO, 'dist'), { recursive: true });
  mkdirSync(join(REPO, 'test-results', '.preview'), { recursive: true });
  await esbuild.build({
    absWorkingDir: REPO,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    bundle: true,
    sourcemap: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
    legalComments: 'none',
  });
  copyFileSync(
    join(REPO, 'node_modules/@vscode-elements/elements/dist/bundled.js'),
    join(REPO, 'dist/vscode-elements.js'),
  );
  // KaTeX's stylesheet and woff2 fonts, as scripts/build.mjs copies them.
  mkdirSync(join(REPO, 'dist/katex/fonts'), { recursive: true });
  copyFileSync(join(REPO, 'node_modules/katex/dist/katex.min.css'), join(REPO, 'dist/katex/katex.min.css'));
  for (const f of readdirSync(join(REPO, 'node_modules/katex/dist/fonts'))) {
    if (f.endsWith('.woff2'))
      copyFileSync(join(REPO, 'node_modules/katex/dist/fonts', f), join(REPO, 'dist/katex/fonts', f));
  }
  await esbuild.build({
    absWorkingDir: REPO,
    entryPoints: ['src/host/dashboardHtml.ts'],
    outfile: 'test-results/.preview/dashboardHtml.mjs',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return import(pathToFileURL(join(REPO, 'test-results/.preview/dashboardHtml.mjs')).href + `?t=${Date.now()}`);
}

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.woff2': 'font/woff2' };

/** Starts the server. Returns { url, port, close() }. */
export async function startPreviewServer({ build = true } = {}) {
  const { dashboardHtml, makeNonce } = build
    ? await buildPreview()
    : await import(pathToFileURL(join(REPO, 'test-results/.preview/dashboardHtml.mjs')).href);
  const stateJs = `window.__PREVIEW_STATE__ = ${JSON.stringify(makeState())};`;
  // ?state=many: a workspace of 120 runs in four folders (or ?state=many&runs=N).
  const manyJs = (n) => `window.__PREVIEW_STATE__ = ${JSON.stringify(makeManyState(n))};`;
  const files = {
    '/dist/webview.js': join(REPO, 'dist/webview.js'),
    '/dist/webview.js.map': join(REPO, 'dist/webview.js.map'),
    '/dist/vscode-elements.js': join(REPO, 'dist/vscode-elements.js'),
    '/media/dashboard.css': join(REPO, 'media/dashboard.css'),
    '/preview/fake-vscode.js': join(HERE, 'fake-vscode.js'),
    '/preview/themes.css': join(HERE, 'themes.css'),
  };
  let origin = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      const nonce = makeNonce();
      let html = dashboardHtml({
        cspSource: origin,
        nonce,
        title: 'Scaling Lens',
        scriptUri: `${origin}/dist/webview.js`,
        elementsUri: `${origin}/dist/vscode-elements.js`,
        styleUri: `${origin}/media/dashboard.css`,
        katexStyleUri: `${origin}/dist/katex/katex.min.css`,
      });
      // What VS Code adds around our HTML: theme variables and the host side of acquireVsCodeApi.
      html = html.replace(
        '<link rel="stylesheet"',
        `<link rel="stylesheet" href="${origin}/preview/themes.css">\n<link rel="stylesheet"`,
      );
      const stateQuery =
        url.searchParams.get('state') === 'many'
          ? `?state=many&runs=${Number(url.searchParams.get('runs')) || 120}`
          : '';
      html = html.replace(
        '<script type="module"',
        `<script nonce="${nonce}" src="${origin}/preview/state.js${stateQuery}"></script>\n<script nonce="${nonce}" src="${origin}/preview/fake-vscode.js"></script>\n<script type="module"`,
      );
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (url.pathname === '/preview/state.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(
        url.searchParams.get('state') === 'many'
          ? manyJs(Math.min(2000, Number(url.searchParams.get('runs')) || 120))
          : stateJs,
      );
      return;
    }
    const katex = /^\/dist\/katex\/(fonts\/)?[\w.-]+\.(css|woff2)$/.test(url.pathname)
      ? join(REPO, url.pathname)
      : undefined;
    const f = files[url.pathname] ?? katex;
    if (!f) {
      res.writeHead(404);
      res.end();
      return;
    }
    try {
      const body = readFileSync(f);
      res.writeHead(200, {
        'content-type': TYPES[f.slice(f.lastIndexOf('.'))] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const port = server.address().port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    port,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}
