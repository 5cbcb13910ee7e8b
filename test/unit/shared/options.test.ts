import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/protocol';
import { MAX_OPTION_STRING, validOption } from '../../../src/shared/options';
import { readPersisted, VIEW_KEYS } from '../../../webview/store';

/** Values tried for every option key: each is valid for some keys and not others. */
const VALUES: unknown[] = [
  'step',
  'compute',
  'banana',
  'sweep',
  'fit',
  '',
  'x'.repeat(MAX_OPTION_STRING),
  'x'.repeat(MAX_OPTION_STRING + 1),
  true,
  false,
  0,
  0.5,
  0.99,
  1,
  -0.1,
  NaN,
  Infinity,
  null,
  undefined,
  [],
  {},
  ['a'],
];
const KEYS = [
  'xAxis',
  'tab',
  'logX',
  'logY',
  'smoothing',
  'metric',
  'curveLaw',
  'sweepLaw',
  'selectedRun',
  'pinned',
  '__proto__',
  'other',
];

test('validOption: the rules, by key', () => {
  assert.equal(validOption('xAxis', 'time'), true);
  assert.equal(validOption('xAxis', 'banana'), false);
  assert.equal(validOption('tab', 'fit'), true);
  assert.equal(validOption('smoothing', 0.99), true);
  assert.equal(validOption('smoothing', 1), false);
  assert.equal(validOption('smoothing', NaN), false);
  assert.equal(validOption('metric', ''), false);
  assert.equal(validOption('metric', 'x'.repeat(MAX_OPTION_STRING + 1)), false);
  assert.equal(validOption('pinned', ['a']), false, 'host-owned');
  assert.equal(validOption('other', true), false);
});

test('the host (webview messages) and the webview (persisted state) accept exactly the same option values', () => {
  for (const k of KEYS) {
    for (const v of VALUES) {
      const host = parseWebviewMessage({ type: 'setOptions', options: { [k]: v } });
      const hostOk =
        host !== null && host.type === 'setOptions' && Object.prototype.hasOwnProperty.call(host.options, k);
      assert.equal(hostOk, validOption(k, v), `host: ${k} = ${String(v).slice(0, 20)}`);
      if (!(VIEW_KEYS as readonly string[]).includes(k)) continue;
      const kept = readPersisted({ v: 1, options: { [k]: v } })!.options!;
      assert.equal(
        Object.prototype.hasOwnProperty.call(kept, k),
        validOption(k, v),
        `webview: ${k} = ${String(v).slice(0, 20)}`,
      );
    }
  }
});
