/**
 * End to end through the CLI (child process): the table laws in `laws`, `fit FILE --law ID` and
 * `predict --fit FILE --law ID --at X`, on the authors' public data (test/fixtures/papers, see SOURCES.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { cli, num, tmpFile } from './helpers';
import { gadreProtocol, DATABLATIONS_CSV } from '../fit/papers';

const csv = (head: string[], rows: (string | number)[][]) =>
  [head.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';

test('laws lists the table laws with their scopes and sources', () => {
  const r = cli(['laws', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const laws = JSON.parse(r.stdout).laws as { id: string; scope: string; source: string; params: string[] }[];
  const by = (id: string) => laws.find((l) => l.id === id);
  assert.equal(by('downstream-sigmoid')?.scope, 'downstream');
  assert.match(by('downstream-sigmoid')!.source, /Bhagia/);
  assert.equal(by('downstream-exp')?.scope, 'downstream');
  assert.match(by('overtraining')!.source, /Gadre/);
  assert.deepEqual(by('data-constrained')!.params.slice(0, 7), [
    'A',
    'B',
    'E',
    'alpha',
    'beta',
    'R_D_star',
    'R_N_star',
  ]);
  assert.equal(by('steplaw-lr')?.scope, 'hyperparameter');
  assert.match(by('steplaw-batch')!.source, /Predictable Scale/);
});

test("fit --law downstream-exp --x loss --y err and predict --at L: the authors' error law and its chained prediction", () => {
  const { error } = gadreProtocol('rpj');
  const f = tmpFile(
    'err.csv',
    csv(
      ['model', 'loss', 'err'],
      error.map((r) => [r.model, r.loss, r.err]),
    ),
  );
  const r = cli(['fit', f, '--law', 'downstream-exp', '--x', 'loss', '--y', 'err', '--bootstrap', '60', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(
    Math.abs(num(out.params.epsilon) - 0.856992) < 1e-4 && Math.abs(num(out.params.gamma) - 0.714591) < 1e-3,
    JSON.stringify(out.params),
  );
  assert.deepEqual(out.columns, { inputs: ['loss'], y: 'err' });
  assert.ok(
    out.intervals.gamma && num(out.intervals.gamma[0]) < 0.7146 && num(out.intervals.gamma[1]) > 0.7146,
    JSON.stringify(out.intervals),
  );
  // predicted C4-val loss of the 1.4B model at M = 640 from the over-training law (2.519827, see the fit test) → error
  const p = cli([
    'predict',
    '--fit',
    f,
    '--law',
    'downstream-exp',
    '--x',
    'loss',
    '--y',
    'err',
    '--at',
    '2.519827',
    '--bootstrap',
    '60',
    '--json',
  ]);
  assert.equal(p.code, 0, p.stderr);
  const po = JSON.parse(p.stdout);
  // Published: relative error 3.6365 % against the observed 0.475215 (prediction 0.492496).
  assert.ok(Math.abs(num(po.value) - 0.492496) < 2e-5, `value ${po.value}`);
  assert.ok(num(po.lower) < num(po.value) && num(po.upper) > num(po.value), JSON.stringify(po));
  assert.ok(
    po.diagnostics.some((d: { message: string }) => /extrapolating/.test(d.message)),
    'the target loss is below the fitted losses',
  );
});

test('fit --law downstream-sigmoid on the same six points warns that the sigmoid is degenerate', () => {
  const { error } = gadreProtocol('rpj');
  const f = tmpFile(
    'err.csv',
    csv(
      ['loss', 'err'],
      error.map((r) => [r.loss, r.err]),
    ),
  );
  const r = cli(['fit', f, '--law', 'downstream-sigmoid', '--bootstrap', '0']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /degenerate sigmoid/);
});

test("fit / predict --law overtraining on N,D,loss: the authors' loss predictions (0.7103 % and 0.7320 % off)", () => {
  const { loss, target } = gadreProtocol('rpj');
  const f = tmpFile(
    'ot.csv',
    csv(
      ['N', 'D', 'loss'],
      loss.map((r) => [r.N, r.D, r.loss]),
    ),
  );
  const r = cli(['fit', f, '--law', 'overtraining', '--bootstrap', '0', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Math.abs(num(JSON.parse(r.stdout).params.E) - 1.83665) < 2e-4);
  const t1 = target('open_lm_1b', 640)!,
    t7 = target('open_lm_7b', 20)!;
  const p1 = JSON.parse(
    cli(['predict', '--fit', f, '--law', 'overtraining', '--at', `N=${t1.N},D=${t1.D}`, '--bootstrap', '0', '--json'])
      .stdout,
  );
  const p7 = JSON.parse(
    cli([
      'predict',
      '--fit',
      f,
      '--law',
      'overtraining',
      '--at',
      `C=${6 * t7.N * t7.D},M=${t7.D / t7.N}`,
      '--bootstrap',
      '0',
      '--json',
    ]).stdout,
  );
  assert.ok(Math.abs((100 * Math.abs(num(p1.value) - t1.loss)) / t1.loss - 0.7103) < 0.002, JSON.stringify(p1));
  assert.ok(Math.abs((100 * Math.abs(num(p7.value) - t7.loss)) / t7.loss - 0.732) < 0.002, JSON.stringify(p7));
});

test('fit --law data-constrained on N,D,U,loss reports A, B, E, alpha, beta, R_D_star, R_N_star and the epoch advice', () => {
  const fix = 'a=6.255414,b=7.3049974,e=0.6254804,alpha=0.3526596,beta=0.3526596';
  const r = cli(['fit', DATABLATIONS_CSV, '--law', 'data-constrained', '--fix', fix, '--bootstrap', '0', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.n, 182);
  for (const k of ['A', 'B', 'E', 'alpha', 'beta', 'R_D_star', 'R_N_star'])
    assert.ok(Number.isFinite(num(out.params[k])), k);
  assert.ok(Math.abs(num(out.params.A) - Math.exp(6.255414)) < 1e-6);
  assert.ok(num(out.objective) <= 0.015825936 + 1e-9);
  assert.ok(num(out.derived.epochs_50pct) > 1 && num(out.derived.epochs_10pct) > num(out.derived.epochs_50pct));
  const bad = cli(['fit', DATABLATIONS_CSV, '--law', 'data-constrained', '--fix', 'R_D=3']);
  assert.equal(bad.code, 2, bad.stdout);
  assert.match(bad.stderr, /no fit-space parameter "R_D"/);
});

test('a table law on a CSV without its columns is a clear data error, not a crash', () => {
  const f = tmpFile('x.csv', 'foo,bar\n1,2\n3,4\n');
  const r = cli(['fit', f, '--law', 'downstream-exp']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no column for loss/);
});

// The sample workspace's laws/ tables (scripts/make-sample-workspace.mjs draws them from the published fits):
// each fit recovers the law it was generated from, within the noise.
const SAMPLE = (f: string) => path.join(REPO, 'sample-workspace', 'laws', f);

test('sample-workspace/laws: each table law recovers the fit it was generated from', () => {
  const fit = (file: string, law: string, extra: string[] = []) => {
    const r = cli(['fit', SAMPLE(file), '--law', law, '--bootstrap', '40', '--json', ...extra]);
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    return {
      p: Object.fromEntries(Object.entries(o.params).map(([k, v]) => [k, num(v)])),
      iv: o.intervals as Record<string, [number, number]>,
      o,
    };
  };
  const acc = fit('downstream-acc.csv', 'downstream-sigmoid');
  assert.ok(
    Math.abs(acc.p.a + 0.55) < 0.02 &&
      Math.abs(acc.p.k - 5) < 0.4 &&
      Math.abs(acc.p.L0 - 3) < 0.02 &&
      Math.abs(acc.p.b - 0.8) < 0.01,
    JSON.stringify(acc.p),
  );
  assert.ok(!acc.o.diagnostics.some((d: { message: string }) => /degenerate/.test(d.message)));
  const err = fit('downstream-err.csv', 'downstream-exp');
  assert.ok(Math.abs(err.p.gamma - 0.7146) < 0.05 && Math.abs(err.p.epsilon - 0.857) < 0.02, JSON.stringify(err.p));
  const ot = fit('overtraining.csv', 'overtraining');
  assert.ok(Math.abs(ot.p.alpha - 0.27285) < 0.01 && Math.abs(ot.p.E - 1.8366) < 0.05, JSON.stringify(ot.p));
  assert.ok(ot.iv.alpha[0] < 0.27285 && ot.iv.alpha[1] > 0.27285, JSON.stringify(ot.iv.alpha));
  const dc = fit('data-constrained.csv', 'data-constrained');
  assert.ok(
    Math.abs(dc.p.R_D_star - 15.39) / 15.39 < 0.15 && Math.abs(dc.p.R_N_star - 5.31) / 5.31 < 0.25,
    JSON.stringify(dc.p),
  );
  assert.ok(dc.o.diagnostics.some((d: { message: string }) => /one more epoch is worth/.test(d.message)));
});

test('fit / predict --law steplaw-lr|steplaw-batch on a sweep CSV: the Step Law, with the published formula beside the fit', () => {
  const lr = cli(['fit', SAMPLE('hyperparameter-sweep.csv'), '--law', 'steplaw-lr', '--bootstrap', '100', '--json']);
  assert.equal(lr.code, 0, lr.stderr);
  const o = JSON.parse(lr.stdout);
  assert.deepEqual(o.published.params, { c: 1.79, alpha: -0.713, beta: 0.307 });
  // the sweep's optima follow the published law: its exponents lie inside our 95 % intervals
  assert.ok(
    num(o.intervals.alpha[0]) < -0.713 && num(o.intervals.alpha[1]) > -0.713,
    JSON.stringify(o.intervals.alpha),
  );
  assert.ok(num(o.intervals.beta[0]) < 0.307 && num(o.intervals.beta[1]) > 0.307, JSON.stringify(o.intervals.beta));
  assert.ok(
    Math.abs(num(o.params.alpha) + 0.713) < 0.06 && Math.abs(num(o.params.beta) - 0.307) < 0.06,
    JSON.stringify(o.params),
  );
  assert.ok(
    o.diagnostics.some((d: { message: string }) => /near-optimal run\(s\) .* from 9 \(N, D\) cell/.test(d.message)),
  );
  const bs = JSON.parse(
    cli(['fit', SAMPLE('hyperparameter-sweep.csv'), '--law', 'steplaw-batch', '--bootstrap', '100', '--json']).stdout,
  );
  assert.ok(
    num(bs.intervals.gamma[0]) < 0.571 && num(bs.intervals.gamma[1]) > 0.571,
    JSON.stringify(bs.intervals.gamma),
  );
  const p = cli([
    'predict',
    '--fit',
    SAMPLE('hyperparameter-sweep.csv'),
    '--law',
    'steplaw-lr',
    '--at',
    'N=7e9,D=1.4e12',
    '--bootstrap',
    '60',
    '--json',
  ]);
  assert.equal(p.code, 0, p.stderr);
  const po = JSON.parse(p.stdout);
  const published = 1.79 * 7e9 ** -0.713 * 1.4e12 ** 0.307;
  assert.ok(
    num(po.lower) < published && published < num(po.upper),
    `published ${published} in [${po.lower}, ${po.upper}]`,
  );
  assert.ok(po.diagnostics.some((d: { message: string }) => /extrapolating/.test(d.message)));
});

test('predict --then chains N, D → loss → error as the authors do (1.4B at M = 640: 0.4925, 3.6365 % from the observed 0.4752)', () => {
  const { loss, error, target } = gadreProtocol('rpj');
  const lf = tmpFile(
    'loss.csv',
    csv(
      ['N', 'D', 'loss'],
      loss.map((r) => [r.N, r.D, r.loss]),
    ),
  );
  const ef = tmpFile(
    'err.csv',
    csv(
      ['loss', 'err'],
      error.map((r) => [r.loss, r.err]),
    ),
  );
  const t = target('open_lm_1b', 640)!;
  const r = cli([
    'predict',
    '--fit',
    lf,
    '--law',
    'overtraining',
    '--at',
    `N=${t.N},D=${t.D}`,
    '--then',
    ef,
    '--then-law',
    'downstream-exp',
    '--bootstrap',
    '60',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  const c = o.chained;
  assert.equal(c.law, 'downstream-exp');
  assert.ok(Math.abs((100 * Math.abs(num(c.value) - t.err)) / t.err - 3.6365) < 0.002, JSON.stringify(c));
  assert.ok(num(c.lower) < num(c.value) && num(c.value) < num(c.upper), JSON.stringify(c));
  assert.ok(num(o.lower) < num(o.value) && num(o.value) < num(o.upper));
  const bad = cli(['predict', '--fit', lf, '--law', 'overtraining', '--at', `N=${t.N},D=${t.D}`, '--then', ef]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--then-law/);
});
