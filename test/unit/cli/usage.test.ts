import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from './helpers';
import { parseArgs } from '../../../src/cli/args';
import { UsageError } from '../../../src/cli/errors';

for (const cmd of ['parse', 'fit', 'predict', 'laws']) {
  test(`${cmd} --help prints its usage and options, exit 0`, () => {
    const r = cli([cmd, '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^usage: scaling-lens ${cmd}`));
    assert.match(r.stdout, /--json/);
  });
}

test('no command: usage on stderr, exit 2', () => {
  const r = cli([]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /usage: scaling-lens <command>/);
});

const usageErrors: [string, string[], RegExp][] = [
  ['unknown command', ['frobnicate'], /unknown command/],
  ['parse without PATH', ['parse'], /at least one PATH/],
  ['unknown option', ['parse', 'x.log', '--bogus'], /unknown option "--bogus"/],
  ['non-numeric --bootstrap', ['fit', 'x.csv', '--bootstrap', 'many'], /expects a number/],
  ['option without its value', ['fit', 'x.csv', '--law'], /--law needs a value/],
  ['unknown law', ['fit', 'x.csv', '--law', 'moore'], /unknown law "moore"/],
  ['schedule law in fit', ['fit', 'x.csv', '--law', 'mpl'], /predict --fit/],
  ['predict with two paths', ['predict', 'a.log', 'b.log', '--at-step', '10'], /exactly one PATH/],
  ['predict --fit without --schedule', ['predict', '--fit', 'a.csv', '--law', 'mpl'], /--schedule/],
  [
    'predict --fit with a curve law',
    ['predict', '--fit', 'a.csv', '--law', 'pow3', '--schedule', 'b.csv'],
    /mpl or --law tissue/,
  ],
  ['laws with an argument', ['laws', 'extra'], /takes no arguments/],
  ['bad confidence', ['fit', 'x.csv', '--confidence', '2'], /confidence/],
];
for (const [what, args, msg] of usageErrors) {
  test(`usage error exits 2 with a message: ${what}`, () => {
    const r = cli(args);
    assert.equal(r.code, 2, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    assert.match(r.stderr, msg);
    assert.equal(r.stdout, '');
  });
}

test('parseArgs: --name=value, repeated flags, -- ends options, negative numbers as values', () => {
  const specs = {
    n: { type: 'int' as const, help: '' },
    s: { type: 'string' as const, help: '' },
    f: { type: 'flag' as const, help: '' },
  };
  const p = parseArgs('t', ['a', '--n=3', '--s', '-5', '--f', '--', '--not-an-option'], specs);
  assert.deepEqual(p.positionals, ['a', '--not-an-option']);
  assert.equal(p.options.n, 3);
  assert.equal(p.options.s, '-5');
  assert.equal(p.options.f, true);
  assert.throws(() => parseArgs('t', ['--n', '1.5'], specs), UsageError);
  assert.throws(() => parseArgs('t', ['--n', '1', '--n', '2'], specs), /given twice/);
  assert.throws(() => parseArgs('t', ['--f=1'], specs), /takes no value/);
});
