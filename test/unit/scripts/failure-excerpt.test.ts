import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from '../helpers/paths';

type Excerpt = (out: string, max?: number) => string[];
const load = async (): Promise<Excerpt> =>
  ((await import(pathToFileURL(path.join(REPO, 'scripts', 'failure-excerpt.mjs')).href)) as { failureExcerpt: Excerpt })
    .failureExcerpt;

test('npm test reprints what failed: mocha failures, without stack frames', async () => {
  const f = await load();
  const out = [
    '  dashboard',
    '    ✔ one (3ms)',
    '    1) charts at most CHART_MAX runs',
    '',
    '  5 passing (2s)',
    '  1 failing',
    '',
    '  1) dashboard',
    '       charts at most CHART_MAX runs:',
    '     AssertionError [ERR_ASSERTION]: 31 charted',
    '      at Context.<anonymous> (/x/dist/test/suite.js:10:5)',
    '      at async Runner.run (/x/node_modules/mocha/lib/runner.js:1:2)',
  ].join('\n');
  const got = f(out);
  assert.equal(got[0].trim(), '1 failing');
  assert.ok(got.some((l) => l.includes('AssertionError [ERR_ASSERTION]: 31 charted')));
  assert.ok(!got.some((l) => l.includes('runner.js')), 'stack frames dropped');
});

test('npm test reprints what failed: tsc errors, eslint errors, node:test failures, else the tail', async () => {
  const f = await load();
  const tsc = f('> tsc\ntest/a.ts(163,38): error TS7016: Could not find a declaration file\nnoise\n');
  assert.deepEqual(tsc, ['test/a.ts(163,38): error TS7016: Could not find a declaration file']);
  const lint = f(
    '\n/repo/src/a.ts\n  12:5  error  Unexpected any  @typescript-eslint/no-explicit-any\n\n✖ 1 problem\n',
  );
  assert.deepEqual(lint, ['/repo/src/a.ts', '  12:5  error  Unexpected any  @typescript-eslint/no-explicit-any']);
  const node = f('✔ a\n✖ b\n✖ failing tests:\n\ntest at x.test.js:1:1\n✖ b (3ms)\n  AssertionError: no\n');
  assert.deepEqual(node, ['✖ failing tests:', 'test at x.test.js:1:1', '✖ b (3ms)', '  AssertionError: no']);
  const crash = f(Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n'), 5);
  assert.deepEqual(crash.slice(0, 5), ['line 80', 'line 81', 'line 82', 'line 83', 'line 84']);
  assert.match(crash[5], /15 more lines/);
});
