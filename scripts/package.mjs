// `npm run package`: a production build, then `vsce package` → scaling-lens.vsix (or --out FILE).
// The README's images stay relative (--no-rewrite-relative-links): they ship inside the .vsix, and VS Code's
// extension page resolves them against the installed extension; the project has no public repository URL
// that vsce could prepend, and a made-up one would break the README on the Marketplace instead.
// Usage: node scripts/package.mjs [--out FILE] [--no-build]
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(args, what) {
  const r = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Builds (unless build is false) and packages the extension; returns the .vsix path. */
export function packageExtension({ out = path.join(REPO, 'scaling-lens.vsix'), build = true } = {}) {
  if (build) run([path.join(REPO, 'scripts', 'build.mjs'), '--production'], 'production build');
  const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(
    [
      vsce,
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--skip-license',
      '--no-rewrite-relative-links',
      '-o',
      out,
    ],
    'vsce package',
  );
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const a = process.argv.slice(2);
  const i = a.indexOf('--out');
  try {
    const out = packageExtension({
      out: i >= 0 ? path.resolve(a[i + 1]) : undefined,
      build: !a.includes('--no-build'),
    });
    console.log(`[package] ${path.relative(process.cwd(), out) || out}`);
  } catch (e) {
    console.error(`[package] ${e.message}`);
    process.exit(1);
  }
}
