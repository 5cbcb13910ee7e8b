/**
 * Metric names that Object.prototype already has (`constructor`, `toString`, `valueOf`, `hasOwnProperty`) are
 * series like any other, in every reader family and on both the string and byte paths: as record keys they used
 * to read the prototype's function (named "function Object() { [native code] }", or lost with "s.append is not a
 * function"). Expected values are written from the text of each case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBytes, parseText } from '../../../src/ingest/incremental';
import { metricKey, normalizeName } from '../../../src/ingest/names';

const cases: [string, string][] = [
  [
    'm.jsonl',
    '{"step": 1, "loss": 2.0, "constructor": 1.0, "toString": 5}\n{"step": 2, "loss": 1.9, "constructor": 1.1, "toString": 6}\n',
  ],
  ['m.csv', 'step,loss,constructor,toString\n1,2.0,1.0,5\n2,1.9,1.1,6\n'],
  [
    'train.log',
    'iter 1: loss 2.0, constructor 1.0, toString 5\niter 2: loss 1.9, constructor 1.1, toString 6\niter 3: loss 1.8, constructor 1.2, toString 7\n',
  ],
];

for (const [name, text] of cases)
  for (const path of ['string', 'bytes'] as const)
    test(`${name} (${path} path): constructor and toString are series of their own`, async () => {
      const r =
        path === 'string' ? await parseText(`/tmp/${name}`, text) : await parseBytes(`/tmp/${name}`, Buffer.from(text));
      assert.equal(r.runs.length, 1, r.diagnostics.map((d) => d.message).join(' | '));
      const m = r.runs[0].metrics;
      assert.ok(
        Object.keys(m).every((k) => !k.startsWith('function')),
        Object.keys(m).join(', '),
      );
      const n = name === 'train.log' ? 3 : 2;
      assert.deepEqual(Array.from(m['constructor#'].value), [1.0, 1.1, 1.2].slice(0, n));
      assert.equal(m['constructor#'].originalName, 'constructor');
      assert.deepEqual(Array.from(m['toString#'].value), [5, 6, 7].slice(0, n));
      assert.deepEqual(Array.from(m['train/loss'].value), [2.0, 1.9, 1.8].slice(0, n));
      assert.ok(!r.diagnostics.some((d) => /not a function|could not parse/.test(d.message)));
    });

test('names: no alias comes from Object.prototype; prototype names get a # as keys, others are unchanged', () => {
  for (const k of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
    assert.equal(normalizeName(k), k);
    assert.equal(metricKey(k), `${k}#`);
  }
  assert.equal(metricKey('train/loss'), 'train/loss');
  assert.equal(metricKey('constructor#'), 'constructor#');
});
