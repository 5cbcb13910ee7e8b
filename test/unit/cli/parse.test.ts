import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { shared } from '../helpers/paths';
import { cli, num, tmpFile } from './helpers';

const NANOGPT = () => shared('logs', 'nanogpt', 'chenzihua_nanogpt_termux_train.log');

test('parse --json: the real nanoGPT log keeps the NaN from iter 425 and finds 10.65M parameters', () => {
  const r = cli(['parse', NANOGPT(), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.runs.length, 1);
  const run = out.runs[0];
  assert.equal(run.format, 'nanogpt');
  assert.equal(run.params, 10_650_000);
  // Independent count from the file itself.
  const lines = fs.readFileSync(NANOGPT(), 'utf8').split('\n');
  const iters = lines.map((l) => /^iter (\d+): loss (\S+?),/.exec(l)).filter((m): m is RegExpExecArray => !!m);
  const tl = run.metrics['train/loss'];
  assert.equal(tl.step.length, iters.length);
  assert.deepEqual(
    Array.from(tl.step),
    iters.map((m) => Number(m[1])),
  );
  const i425 = tl.step.indexOf(425);
  assert.ok(i425 > 0);
  assert.equal(tl.value[i425], 'NaN', 'NaN survives JSON as the string "NaN"');
  assert.ok(Number.isNaN(num(tl.value[i425])));
  assert.equal(tl.value.filter((v: unknown) => v === 'NaN').length, iters.filter((m) => m[2] === 'nan').length);
  // Finite values equal the file's numbers.
  iters.forEach((m, i) => {
    if (m[2] !== 'nan') assert.equal(tl.value[i], Number(m[2]));
  });
  assert.ok(run.metrics['val/loss'], 'val/loss normalised from "val loss"');
  assert.ok(Array.isArray(out.diagnostics));
});

test('parse (table): human-readable output names the run, the format and 10.65M', () => {
  const r = cli(['parse', NANOGPT()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /nanogpt/);
  assert.match(r.stdout, /10\.65M/);
  assert.match(r.stdout, /train\/loss/);
});

test('parse DIR: an MLflow store not named mlruns is claimed as a whole (one run per run folder)', () => {
  const store = shared('logs', 'mlflow', 'imageclass_mlruns');
  const r = cli(['parse', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  // Independent: run folders are the directories holding a meta.yaml under the experiment folder.
  let expected = 0;
  for (const exp of fs.readdirSync(store)) {
    const ed = path.join(store, exp);
    if (!fs.statSync(ed).isDirectory()) continue;
    for (const run of fs.readdirSync(ed)) if (fs.existsSync(path.join(ed, run, 'meta.yaml'))) expected++;
  }
  assert.ok(expected >= 9);
  assert.equal(out.runs.length, expected);
  assert.ok(out.runs.every((x: { format: string }) => x.format === 'mlflow'));
});

test('parse DIR recurses into a folder of logs of different formats', () => {
  const r = cli(['parse', shared('logs'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const formats = new Set(JSON.parse(r.stdout).runs.map((x: { format: string }) => x.format));
  for (const f of ['nanogpt', 'llmc', 'megatron', 'tensorboard', 'mlflow', 'hf-trainer-state', 'olmo'])
    assert.ok(formats.has(f), `format ${f} found`);
});

test('parse: a points table is reported under tables with N, D, C, loss', () => {
  const csv = shared('chinchilla', 'svg_extracted_data.csv');
  const r = cli(['parse', csv, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const rows = fs.readFileSync(csv, 'utf8').trim().split(/\r?\n/).length - 1;
  assert.equal(out.tables.length, 1);
  assert.equal(out.tables[0].loss.length, rows);
});

test('parse: garbage input does not crash (exit 0, no runs, a diagnostic)', () => {
  let s = 12345;
  const bytes = Buffer.alloc(200_000);
  for (let i = 0; i < bytes.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    bytes[i] = s >>> 24;
  }
  const p = tmpFile('garbage.log', bytes);
  const r = cli(['parse', p, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error/);
  const out = JSON.parse(r.stdout);
  assert.equal(out.runs.length, 0);
  assert.ok(out.diagnostics.length >= 1);
});

test('parse: a missing file exits 1 with a message on stderr and nothing on stdout', () => {
  const r = cli(['parse', '/nonexistent/train.log']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no such file/);
  assert.equal(r.stdout, '');
});

test('parse --json --max-points: a capped series keeps the same JSON shape, thinned, with an info diagnostic', () => {
  const r = cli(['parse', NANOGPT(), '--json', '--max-points', '64']); // the log has 91 iter lines
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const tl = out.runs[0].metrics['train/loss'];
  assert.deepEqual(Object.keys(tl).sort(), ['step', 'value']);
  assert.ok(Array.isArray(tl.step) && tl.step.length === tl.value.length && tl.step.length <= 64);
  // every raw point is accounted for: the note gives the count, which the file itself confirms
  const iters = fs
    .readFileSync(NANOGPT(), 'utf8')
    .split('\n')
    .filter((l) => /^iter \d+: loss /.test(l)).length;
  const note = out.diagnostics.find(
    (d: { severity: string; message: string }) =>
      d.severity === 'info' && d.message.startsWith(`train/loss: ${iters} points read, ${tl.step.length} kept`),
  );
  assert.ok(note, JSON.stringify(out.diagnostics));
  // the latest points are exact: the last step is the file's last iter line
  const last = fs
    .readFileSync(NANOGPT(), 'utf8')
    .split('\n')
    .filter((l) => /^iter \d+:/.test(l))
    .pop()!;
  assert.equal(tl.step.at(-1), Number(/^iter (\d+)/.exec(last)![1]));
});
