import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { shared } from '../helpers/paths';
import { cli, num, tmpFile } from './helpers';

function predict(args: string[]) {
  const r = cli(['predict', ...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('predict --until-step on a real Megatron log: the interval contains the later observed loss', () => {
  const log = shared('logs', 'megatron-deepspeed', 'qwen7b_baseline_500.log');
  const o = predict([log, '--y', 'train/loss', '--at-step', '500', '--until-step', '350']);
  // Independent: the loss at iteration 500 from the file.
  const m = /iteration\s+500\/\s*500 \|.*?lm loss: ([\d.E+-]+)/.exec(fs.readFileSync(log, 'utf8'));
  assert.ok(m);
  assert.equal(num(o.observed), Number(m![1]));
  assert.ok(o.fittedUntil <= 350);
  assert.ok(num(o.lower) <= num(o.value) && num(o.value) <= num(o.upper));
  assert.ok(
    num(o.lower) <= num(o.observed) && num(o.observed) <= num(o.upper),
    `${o.observed} in [${o.lower}, ${o.upper}]`,
  );
});

test('predict --until-step on a real trainer_state.json (7B QLoRA): the interval contains the later observed loss', () => {
  const f = shared('logs', 'hf-trainer-state', 'luojiu_7b_trainer_state.json');
  const o = predict([f, '--y', 'train/loss', '--at-step', '8700', '--until-step', '6000']);
  const entry = JSON.parse(fs.readFileSync(f, 'utf8')).log_history.find(
    (e: { step: number; loss?: number }) => e.step === 8700 && e.loss !== undefined,
  );
  assert.equal(num(o.observed), entry.loss);
  assert.ok(num(o.lower) <= entry.loss && entry.loss <= num(o.upper), `${entry.loss} in [${o.lower}, ${o.upper}]`);
});

test('predict on llm.c val loss, fitted to step 10000: honest error at 19500 (the LR anneal is not in the curve)', () => {
  // Reported, not hidden: a curve law fitted before the anneal over-predicts the final loss; the observed value
  // is given next to the forecast. We require the error to stay within 3 % and the output to carry the observation.
  const log = shared('logs', 'llmc-stdout', 'modded_nanogpt_llmc_main.log');
  const o = predict([log, '--y', 'val/loss', '--at-step', '19500', '--until-step', '10000']);
  const m = /^s:19500 tel:([\d.]+)/m.exec(fs.readFileSync(log, 'utf8'));
  assert.equal(num(o.observed), Number(m![1]));
  const rel = Math.abs(num(o.value) - num(o.observed)) / num(o.observed);
  assert.ok(rel < 0.03, `relative error ${rel}`);
});

test('predict: no data errors — a constant curve, a missing metric and a missing file exit 1 with a reason', () => {
  const flat = tmpFile(
    'flat.log',
    Array.from({ length: 50 }, (_, i) => `iter ${i * 10}: loss 2.5000, time 100.00ms, mfu 1.00%`).join('\n') + '\n',
  );
  const r = cli(['predict', flat, '--at-step', '1000']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /constant|not decreasing/);
  const r2 = cli(['predict', flat, '--y', 'val/loss', '--at-step', '1000']);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /no metric val\/loss/);
  const r3 = cli(['predict', '/nonexistent.log', '--at-step', '1000']);
  assert.equal(r3.code, 1);
});

test('predict --fit (MPL on cosine_24000, constant_24000, wsdcon_9 of 25M) predicts wsd_20000_24000 within 0.5 % mean rel. error', () => {
  const dir = (f: string) => shared('lr-schedules', '25M', f);
  const target = dir('wsd_20000_24000.csv');
  const o = predict([
    '--fit',
    dir('cosine_24000.csv'),
    dir('constant_24000.csv'),
    dir('wsdcon_9.csv'),
    '--law',
    'mpl',
    '--warmup',
    '2160',
    '--schedule',
    target,
  ]);
  // Independent: read the target's observed losses ourselves and score the predicted curve.
  const [head, ...lines] = fs.readFileSync(target, 'utf8').trim().split(/\r?\n/);
  const h = head.split(',');
  const obs = new Map(
    lines.map((l) => l.split(',')).map((c) => [Number(c[h.indexOf('step')]), Number(c[h.indexOf('loss')])]),
  );
  assert.equal(o.step.length, obs.size);
  let s = 0;
  o.step.forEach((st: number, i: number) => {
    s += Math.abs(num(o.value[i]) - obs.get(st)!) / obs.get(st)!;
  });
  const mre = s / o.step.length;
  assert.ok(mre <= 0.005, `mean relative error ${mre}`);
  assert.ok(Math.abs(mre - num(o.meanRelError)) < 1e-12, 'reported error is the real one');
  o.step.forEach((_: number, i: number) =>
    assert.ok(num(o.lower[i]) <= num(o.value[i]) && num(o.value[i]) <= num(o.upper[i])),
  );
  // The 95 % band (fit residual scale, no --loo) should cover most observed points of the unseen schedule.
  const covered = o.step.filter(
    (st: number, i: number) => num(o.lower[i]) <= obs.get(st)! && obs.get(st)! <= num(o.upper[i]),
  ).length;
  assert.ok(covered / o.step.length >= 0.8, `coverage ${covered}/${o.step.length}`);
});

test('predict --fit --law tissue: the simpler law runs too; its reported error is the real one (MPL is expected to be better)', () => {
  const dir = (f: string) => shared('lr-schedules', '25M', f);
  const target = dir('wsdcon_18.csv');
  const fitArgs = [
    '--fit',
    dir('cosine_24000.csv'),
    dir('constant_24000.csv'),
    dir('wsdcon_9.csv'),
    '--warmup',
    '2160',
    '--schedule',
    target,
  ];
  const t = predict([...fitArgs, '--law', 'tissue']);
  assert.equal(t.law, 'tissue');
  assert.deepEqual(Object.keys(t.params), ['L0', 'A', 'alpha', 'C']);
  const lines = fs
    .readFileSync(target, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(',').map(Number));
  let s = 0;
  lines.forEach(([, , loss], i) => {
    s += Math.abs(num(t.value[i]) - loss) / loss;
  });
  assert.ok(Math.abs(s / lines.length - num(t.meanRelError)) < 1e-12);
  assert.ok(num(t.meanRelError) < 0.02, `tissue mean rel. error ${t.meanRelError}`);
});

test('predict --fit: a schedule file without an lr column, or fit paths without runs, exit 1 with a reason', () => {
  const dir = (f: string) => shared('lr-schedules', '25M', f);
  const noLr = tmpFile('sched.csv', 'step,loss\n100,3.0\n200,2.9\n');
  const r = cli(['predict', '--fit', dir('cosine_24000.csv'), '--law', 'tissue', '--schedule', noLr]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /no learning-rate column/);
  const junk = tmpFile('junk.bin', Buffer.from([0, 1, 2, 3, 255, 254]));
  const r2 = cli(['predict', '--fit', junk, '--law', 'mpl', '--schedule', dir('wsdcon_3.csv')]);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /no runs found/);
  assert.doesNotMatch(r2.stderr, /internal error/);
});

test('predict on the diverged nanoGPT run warns that the loss turned NaN (from iter 425) instead of silently forecasting', () => {
  const log = shared('logs', 'nanogpt', 'chenzihua_nanogpt_termux_train.log');
  const o = predict([log, '--y', 'train/loss', '--at-step', '1000']);
  // Independent: the first iter from which every later iter line is nan.
  const its = fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .map((l) => /^iter (\d+): loss (\S+?),/.exec(l))
    .filter((m): m is RegExpExecArray => !!m);
  let first = -1;
  for (let i = its.length - 1; i >= 0 && its[i][2] === 'nan'; i--) first = Number(its[i][1]);
  assert.equal(first, 425);
  assert.ok(
    o.diagnostics.some(
      (d: { severity: string; message: string }) =>
        d.severity === 'warning' && d.message.includes(`step ${first}`) && /diverged/.test(d.message),
    ),
    JSON.stringify(o.diagnostics),
  );
  assert.ok(o.fittedUntil < first);
});

test('predict --at-step S1,S2,S3 scores a held-out curve in one call: each step as with a single --at-step, observations attached', () => {
  const log = shared('logs', 'llmc-stdout', 'modded_nanogpt_llmc_main.log');
  const many = predict([log, '--y', 'val/loss', '--at-step', '12e3,15000,19500', '--until-step', '10000']);
  assert.deepEqual(
    many.points.map((p: { step: number }) => p.step),
    [12000, 15000, 19500],
  );
  const text = fs.readFileSync(log, 'utf8');
  for (const p of many.points) {
    const one = predict([log, '--y', 'val/loss', '--at-step', String(p.step), '--until-step', '10000']);
    assert.equal(num(one.value), num(p.value));
    assert.equal(num(one.upper), num(p.upper));
    const m = new RegExp(`^s:${p.step} tel:([\\d.]+)`, 'm').exec(text);
    assert.equal(num(p.observed), Number(m![1]));
  }
  assert.equal(num(many.value), num(many.points[0].value));
  assert.match(many.method, /pow3|model average/);
  const bad = cli(['predict', log, '--at-step', '1000,abc']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /"abc" is not a positive number/);
});

test('predict --total-steps without a logged LR: the forecast at the planned end averages an anneal scenario, and says so', () => {
  const noLr = tmpFile(
    'nolr.log',
    Array.from(
      { length: 60 },
      (_, i) =>
        `iter ${(i + 1) * 10}: loss ${(2 + 3 * Math.pow((i + 1) * 10, -0.4)).toFixed(4)}, time 100.00ms, mfu 1.00%`,
    ).join('\n') + '\n',
  );
  const auto = predict([noLr, '--at-step', '300,1000', '--total-steps', '1000']);
  assert.deepEqual(
    auto.points.map((p: { scenario: string }) => p.scenario),
    ['as-logged', 'unknown'],
  );
  assert.match(auto.points[1].schedule, /the LR is not logged/);
  const noTotal = predict([noLr, '--at-step', '1000']);
  assert.equal(noTotal.points[0].scenario, 'as-logged');
  assert.match(noTotal.schedule, /planned total steps unknown/);
  // Forced scenarios on a real log:
  const log = shared('logs', 'megatron-deepspeed', 'qwen7b_baseline_500.log');
  const asLogged = predict([
    log,
    '--y',
    'train/loss',
    '--at-step',
    '500',
    '--until-step',
    '250',
    '--scenario',
    'as-logged',
  ]);
  const anneal = predict([log, '--y', 'train/loss', '--at-step', '500', '--until-step', '250', '--scenario', 'anneal']);
  const unknown = predict([
    log,
    '--y',
    'train/loss',
    '--at-step',
    '500',
    '--until-step',
    '250',
    '--scenario',
    'unknown',
  ]);
  // independent: the unknown scenario is the geometric mean of the two, its band covers both scenarios' bands
  assert.ok(Math.abs(num(unknown.value) - Math.sqrt(num(asLogged.value) * num(anneal.value))) < 1e-9);
  assert.ok(num(anneal.value) < num(asLogged.value));
  assert.ok(num(unknown.lower) <= num(anneal.lower) + 1e-12 && num(unknown.upper) >= num(asLogged.upper) - 1e-12);
  assert.equal(unknown.points[0].scenario, 'unknown');
  assert.ok(num(unknown.points[0].scenarios.anneal) < num(unknown.points[0].scenarios.asLogged));
});

test('predict (text): a model average is named as one in the law column, with the members the JSON lists', () => {
  const log = shared('logs', 'llmc-stdout', 'modded_nanogpt_llmc_main.log');
  const args = [log, '--y', 'train/loss', '--at-step', '19560', '--until-step', '6000'];
  const o = predict(args);
  const members: string[] = o.method.match(/model average: ([^(]*)/)?.[1]?.match(/[\w.-]+(?= \d)/g) ?? [];
  const r = cli(['predict', ...args]);
  assert.equal(r.code, 0, r.stderr);
  const row = r.stdout.split('\n').find((l) => l.startsWith('19560 '));
  assert.ok(row, r.stdout);
  if (/model average/.test(o.method)) {
    assert.ok(members.length > 1, o.method);
    assert.ok(row.includes(`avg(${members.join(',')})`), `${row} vs ${members}`);
  } else assert.ok(row.includes(` ${o.law} `) && !row.includes('avg('), row);
});

test('predict across epoch boundaries says so (as the hover does), from the epoch series up to --until-step', () => {
  // A 3-epoch QLoRA fine-tune: the file states max_steps and num_train_epochs, so an epoch is max_steps / epochs.
  const f = shared('logs', 'hf-trainer-state', 'luojiu_7b_trainer_state.json');
  const state = JSON.parse(fs.readFileSync(f, 'utf8'));
  const L = state.max_steps / state.num_train_epochs;
  const until = 1000,
    near = Math.floor(L) - 100,
    far = 8700;
  const boundariesAhead = Math.floor(far / L) - Math.floor(until / L);
  assert.equal(boundariesAhead, 2);
  const o = predict([f, '--y', 'train/loss', '--at-step', `${near},${far}`, '--until-step', String(until)]);
  assert.equal(o.points[0].epochs, undefined, 'no boundary before the first epoch ends');
  assert.match(
    o.points[1].epochs,
    new RegExp(
      `^${boundariesAhead} epoch boundaries ahead \\(epoch of ${Math.round(L).toLocaleString('en-US')} steps\\)`,
    ),
  );
  // the human-readable output carries the note too
  const r = cli(['predict', f, '--y', 'train/loss', '--at-step', String(far), '--until-step', String(until)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^epochs: 2 epoch boundaries ahead/m);
});

test('predict without --at-step forecasts the planned end the log states; without one it asks for --at-step', () => {
  const log = shared('logs', 'megatron-deepspeed', 'qwen7b_baseline_500.log');
  // Independent: the planned iterations from the file's own `iteration N/ T |` records.
  const m = /iteration\s+\d+\/\s*(\d+) \|/.exec(fs.readFileSync(log, 'utf8'));
  assert.ok(m);
  const o = predict([log, '--y', 'train/loss', '--until-step', '250']);
  assert.equal(o.step, Number(m![1]));
  assert.match(o.stepFrom, /planned end of the run/);
  const flat = tmpFile(
    'noplan.log',
    Array.from(
      { length: 40 },
      (_, i) => `iter ${(i + 1) * 10}: loss ${(2 + 3 * Math.pow((i + 1) * 10, -0.4)).toFixed(4)}`,
    )
      .join('\n')
      .concat('\n'),
  );
  const r = cli(['predict', flat]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no planned total steps were found.*--at-step/);
  // --total-steps names the end instead
  const t = predict([flat, '--total-steps', '2000']);
  assert.equal(t.step, 2000);
  assert.match(t.stepFrom, /--total-steps/);
});

test('predict --target on a made-up power law: the step it reaches the value is the law solved for it', () => {
  // L(x) = 2 + 6·x^−0.35, logged every 20 steps to 2,000 with a ±0.2 % deterministic wobble; the value 2.55 is
  // reached at x = (6 / 0.55)^(1 / 0.35) ≈ 925, inside the data, and 2.45 at (6 / 0.45)^(1 / 0.35) ≈ 1,630.
  // Fitted to step 600 only, the forecast of the crossing must land near the solved step, inside its band.
  const law = (x: number) => 2 + 6 * Math.pow(x, -0.35);
  const lines = Array.from({ length: 100 }, (_, i) => {
    const x = (i + 1) * 20;
    return `iter ${x}: loss ${(law(x) * (1 + 0.002 * Math.sin(i * 1.7))).toFixed(5)}`;
  });
  const f = tmpFile('law.log', lines.join('\n') + '\n');
  for (const target of [2.55, 2.45]) {
    const solved = Math.pow(6 / (target - 2), 1 / 0.35);
    const o = predict([f, '--until-step', '600', '--at-step', '2000', '--target', String(target)]);
    const t = o.target;
    assert.equal(t.value, target);
    assert.ok(Math.abs(t.step - solved) / solved < 0.15, `forecast crossing ${t.step} vs solved ${solved}`);
    assert.ok(t.early <= t.step && (t.late === null || t.step <= t.late), JSON.stringify(t));
    assert.ok(t.early <= solved && (t.late === null || solved <= t.late), `${solved} in ${JSON.stringify(t)}`);
    assert.equal(t.observedAt, null, 'not logged at or below the value by step 600');
    // The forecast at the reported step is the target (the crossing is read off the curve the forecast draws).
    const at = predict([f, '--until-step', '600', '--at-step', String(t.step)]);
    assert.ok(Math.abs(num(at.value) - target) / target < 0.002, `${at.value} at ${t.step}`);
  }
  // A value the data already reached is reported as logged; one below the curve's asymptote is never reached.
  const seen = predict([f, '--until-step', '600', '--at-step', '2000', '--target', '3']);
  assert.ok(seen.target.observedAt !== null && law(seen.target.observedAt) <= 3.01, JSON.stringify(seen.target));
  const never = cli(['predict', f, '--until-step', '600', '--at-step', '2000', '--target', '0.5']);
  assert.equal(never.code, 0, never.stderr);
  assert.match(never.stdout, /target 0\.5: not reached by step 6000/);
});

test('predict --target on real llm.c validation losses fitted to step 10,000: the band holds the step the run reached each value', () => {
  const log = shared('logs', 'llmc-stdout', 'modded_nanogpt_llmc_main.log');
  const vals = [...fs.readFileSync(log, 'utf8').matchAll(/^s:(\d+) tel:([\d.]+)/gm)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
  for (const target of [3.35, 3.3]) {
    // Independent: the first logged step at or below the value.
    const reached = vals.find(([, v]) => v <= target)![0];
    assert.ok(reached > 10_000);
    const o = predict([log, '--y', 'val/loss', '--until-step', '10000', '--target', String(target)]);
    const t = o.target;
    assert.ok(t.early !== null && t.early <= reached, `${reached} ≥ early ${t.early}`);
    assert.ok(t.late === null || reached <= t.late, `${reached} ≤ late ${t.late}`);
  }
});
