// Bundles the extension host, the fitting worker, the CLI, the webview and (with --tests) the integration
// suites with esbuild. Flags: --watch, --production (minified, no source maps), --tests.
import * as esbuild from 'esbuild';
import { globSync } from 'glob';
import { rmSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

const builds = [
  // Extension host: Node, CommonJS, `vscode` provided by the host.
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts', fitWorker: 'src/worker/fitWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
  // CLI: same engine, no vscode.
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
  // Webview: browser, IIFE, loaded with a nonce under a strict CSP.
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];
if (args.has('--tests')) {
  rmSync('out/test', { recursive: true, force: true });
  builds.push({
    ...common,
    entryPoints: [
      'test/integration/index.ts',
      ...globSync('test/integration/{suite,reliability,restricted}/**/*.test.ts'),
    ],
    outdir: 'out/test/integration',
    outbase: 'test/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode', 'mocha'],
  });
}

/**
 * KaTeX's stylesheet and its fonts for the dashboard's formulas (served from dist/katex under font-src cspSource).
 * Only the woff2 files: the stylesheet lists woff2 first, and every Chromium VS Code runs on takes it.
 */
function copyKatexAssets(out = 'dist/katex') {
  mkdirSync(`${out}/fonts`, { recursive: true });
  copyFileSync('node_modules/katex/dist/katex.min.css', `${out}/katex.min.css`);
  for (const f of readdirSync('node_modules/katex/dist/fonts'))
    if (f.endsWith('.woff2')) copyFileSync(`node_modules/katex/dist/fonts/${f}`, `${out}/fonts/${f}`);
}

mkdirSync('dist', { recursive: true });
if (args.has('--watch')) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('[build] watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  copyFileSync('node_modules/@vscode-elements/elements/dist/bundled.js', 'dist/vscode-elements.js');
  copyKatexAssets();
  console.log(`[build] ${builds.length} bundles ${production ? '(production)' : ''}`);
}
