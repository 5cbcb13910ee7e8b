import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toJson, jnum, fmt, table } from '../../../src/cli/output';
import { shared } from '../helpers/paths';
import { cli } from './helpers';

test('toJson writes non-finite numbers as "NaN"/"Infinity"/"-Infinity" strings and round-trips with Number()', () => {
  const s = toJson({ v: [1.5, NaN, Infinity, -Infinity, 0], n: null });
  assert.equal(s, '{"v":[1.5,"NaN","Infinity","-Infinity",0],"n":null}');
  const back = (JSON.parse(s).v as unknown[]).map((x) => (typeof x === 'string' ? Number(x) : x));
  assert.deepEqual(back, [1.5, NaN, Infinity, -Infinity, 0]);
  assert.equal(jnum(-Infinity), '-Infinity');
  assert.equal(jnum(2), 2);
});

test('fmt and table: 4 significant digits, exponent for big/small, aligned columns', () => {
  assert.equal(fmt(1.81721809), '1.817');
  assert.equal(fmt(2143.4173), '2143');
  assert.equal(fmt(1.0183e-3), '0.001018');
  assert.equal(fmt(1.2e-5), '1.200e-5');
  assert.equal(fmt(NaN), 'NaN');
  const t = table([
    ['a', 'bb'],
    ['ccc', 'd'],
  ]).split('\n');
  assert.equal(t.length, 3);
  assert.equal(t[0].indexOf('bb'), t[2].indexOf('d'));
});

test('human-readable fit and predict output (default, without --json)', () => {
  const r = cli(['fit', shared('chinchilla', 'svg_extracted_data.csv'), '--law', 'chinchilla', '--drop-highest', '5']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^law chinchilla \(sweep\), n = 240 points, objective [\d.]+, 200 bootstrap refits/,
    'intervals by default',
  );
  assert.match(r.stdout, /\nE\s+1\.817\s+\[1\.7\d+, 1\.8\d+\]\n/);
  assert.match(r.stdout, /\nalpha\s+0\.347\d\s+\[0\.3\d+, 0\.3\d+\]\n/);
  const p = cli([
    'predict',
    shared('logs', 'megatron-deepspeed', 'qwen7b_baseline_500.log'),
    '--y',
    'train/loss',
    '--at-step',
    '500',
    '--until-step',
    '350',
  ]);
  assert.equal(p.code, 0, p.stderr);
  assert.match(p.stdout, /95% interval/);
  assert.match(p.stdout, /\n500\s+train\/loss\s+\S+\s+[\d.]+\s+\[[\d.]+, [\d.]+\]\s+6\.2/);
});
