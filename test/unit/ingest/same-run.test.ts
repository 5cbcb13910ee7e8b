/**
 * One training run seen in two files (issue 14, "Runs, steps and metadata"): the pure decision of sameRun.ts on
 * series built here (agreeing, disagreeing, partial overlap, two seeds, resumed run), then the CLI loader on real
 * folders (test/fixtures/sameRun/SOURCES.md): a YOLOv5 run's results.csv and its TensorBoard event file are one run,
 * and two different runs of that repository put into one folder stay two.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import {
  comparable,
  decideSameRun,
  mergeSeries,
  planSameRuns,
  printRounding,
  runIdTokens,
  type RunView,
} from '../../../src/ingest/sameRun';
import { loadPaths } from '../../../src/cli/load';
import { sweepPoints } from '../../../src/cli/points';

type S = { step: number[]; value: number[] };
const f32 = (x: number) => Math.fround(x);
const round = (x: number, d: number) => Number(x.toFixed(d));

/** A loss curve of one seed: a power law plus seeded noise (so two seeds differ at every step but step 0). */
function curve(seed: number, steps: number[]): number[] {
  let a = seed * 9973 + 1;
  const noise = () => ((a = (a * 16807) % 2147483647) / 2147483647 - 0.5) * 0.05;
  return steps.map((s) => (s === 0 ? 10.9 : 2 + 8 / Math.pow(1 + s / 50, 0.5) + noise()));
}
const range = (a: number, b: number, by: number) =>
  Array.from({ length: Math.floor((b - a) / by) + 1 }, (_, i) => a + i * by);
function run(id: string, p: string, metrics: Record<string, S>, format = 'x'): RunView {
  return { id, path: p, format, metrics };
}

describe('sameRun: the decision', () => {
  const steps = range(0, 1000, 10);
  const loss = curve(1, steps);
  const lr = steps.map((s) => 6e-4 * Math.min(1, (s + 1) / 100));

  test('stdout (4 decimals) and the event file (float32) of one run agree: same', () => {
    const stdout = run('out', 'r/train.log', {
      'train/loss': { step: steps, value: loss.map((v) => round(v, 4)) },
      lr: { step: steps, value: lr.map((v) => Number(v.toExponential(3))) },
    });
    const tb = run('tb', 'r/events.out.tfevents.1700000000.host.1.0', {
      'train/loss': { step: steps, value: loss.map(f32) },
    });
    const d = decideSameRun(stdout, tb);
    assert.equal(d.verdict, 'same', d.reason);
    assert.equal(d.shared, steps.length);
    assert.match(d.reason, /same folder/);
  });

  test('a value off by more than its print rounding is a disagreement (the tolerance is not loose)', () => {
    const a = run('a', 'r/a.log', { 'train/loss': { step: steps, value: loss.map((v) => round(v, 4)) } });
    const b = run('b', 'r/b.csv', { 'train/loss': { step: steps, value: loss.map((v) => round(v, 4) + 2e-4) } });
    assert.equal(decideSameRun(a, b).verdict, 'different');
    const c = run('c', 'r/c.csv', { 'train/loss': { step: steps, value: loss.map((v) => round(v, 4) + 4e-5) } });
    assert.equal(decideSameRun(a, c).verdict, 'same', 'within half a unit of the 4th decimal');
  });

  test('partial overlap: stdout every 10 steps to 1000, metrics.jsonl every 100 steps from 500 to 1500: same', () => {
    const s2 = range(500, 1500, 100);
    const all = curve(1, range(0, 1500, 10));
    const a = run('a', 'r/train.log', {
      'train/loss': { step: steps, value: all.slice(0, steps.length).map((v) => round(v, 4)) },
    });
    const b = run('b', 'r/metrics.jsonl', { 'train/loss': { step: s2, value: s2.map((s) => all[s / 10]) } });
    const d = decideSameRun(a, b);
    assert.equal(d.verdict, 'same', d.reason);
    assert.equal(d.shared, 6, 'steps 500..1000 every 100');
  });

  test('two seeds in one folder: same lr schedule, same step-0 loss, different losses: two runs', () => {
    const s1 = run('s1', 'sweep/seed1.log', {
      'train/loss': { step: steps, value: curve(1, steps).map((v) => round(v, 4)) },
      lr: { step: steps, value: lr },
    });
    const s2 = run('s2', 'sweep/seed2.log', {
      'train/loss': { step: steps, value: curve(2, steps).map((v) => round(v, 4)) },
      lr: { step: steps, value: lr },
    });
    const d = decideSameRun(s1, s2);
    assert.equal(d.verdict, 'different', d.reason);
    assert.ok(d.agreed >= 1 && d.agreed < d.shared, 'step 0 agrees, the rest does not');
    assert.deepEqual(planSameRuns([s1, s2]), []);
  });

  test('the lr alone (the same in two seeds) is never evidence', () => {
    assert.equal(comparable('lr'), false);
    assert.equal(comparable('train/epoch'), false);
    assert.equal(comparable('train/loss'), true);
    assert.equal(comparable('val/acc'), true);
    const a = run('a', 'r/a.log', { lr: { step: steps, value: lr } });
    const b = run('b', 'r/b.log', { lr: { step: steps, value: lr } });
    assert.equal(decideSameRun(a, b).verdict, 'different');
  });

  test('train loss agrees, validation loss disagrees: linked (one run written two ways), counted once', () => {
    const raw = loss.map((v) => round(v, 4));
    const val1 = steps.map((s) => 3 + 100 / (s + 50));
    const a = run('a', 'r/train.log', {
      'train/loss': { step: steps, value: raw },
      'val/loss': { step: steps, value: val1.map((v) => round(v, 3)) },
    });
    const b = run('b', 'r/metrics.csv', {
      'train/loss': { step: steps, value: raw },
      'val/loss': { step: steps, value: val1.map((v) => v * 1.02) },
    });
    const d = decideSameRun(a, b);
    assert.equal(d.verdict, 'linked', d.reason);
    const g = planSameRuns([a, b]);
    assert.equal(g.length, 1);
    assert.equal(g[0].merged.length, 0);
    assert.equal(g[0].linked.length, 1);
  });

  test('a constant agreeing series (a class loss of 0 in two single-class runs) is no evidence', () => {
    const zero = steps.map(() => 0);
    const a = run('a', 'r/a.csv', {
      'train/cls_loss': { step: steps, value: zero },
      'train/box_loss': { step: steps, value: curve(1, steps) },
    });
    const b = run('b', 'r/b.csv', {
      'train/cls_loss': { step: steps, value: zero },
      'train/box_loss': { step: steps, value: curve(2, steps) },
    });
    assert.equal(decideSameRun(a, b).verdict, 'different');
  });

  test('a shared run id does not outweigh disagreeing values (two runs of one container: its host id in both names)', () => {
    const a = run('a', 'flat/exp2_events.out.tfevents.1713523281.09ff35ced90d.100.0', {
      'train/loss': { step: steps, value: curve(1, steps) },
    });
    const b = run('b', 'flat/exp3_events.out.tfevents.1713524448.09ff35ced90d.214.0', {
      'train/loss': { step: steps, value: curve(2, steps) },
    });
    const d = decideSameRun(a, b);
    assert.equal(d.token, '09ff35ced90d');
    assert.equal(d.verdict, 'different', d.reason);
  });

  test('a run id in both names and no step logged in both: linked; without the id: different', () => {
    const a = run('a', 'logs/train-za1r6og7.log', { 'train/loss': { step: steps, value: loss } });
    const b = run('b', 'eval/eval-za1r6og7.jsonl', { 'val/loss': { step: [1000], value: [3.1] } });
    assert.equal(decideSameRun(a, b).verdict, 'linked');
    assert.equal(decideSameRun(a, { ...b, path: 'logs/eval.jsonl' }).verdict, 'different');
  });

  test('one shared step is not enough, however many metrics agree on it', () => {
    const m = (v: number) => ({ step: [0, 100], value: [10.9, v] });
    const a = run('a', 'r/a.log', { 'train/loss': m(3.1), 'val/loss': m(3.2), 'train/acc': m(0.4), 'val/acc': m(0.5) });
    const b = run('b', 'r/b.log', {
      'train/loss': { step: [0, 200], value: [10.9, 2.9] },
      'val/loss': { step: [0, 200], value: [10.9, 3.0] },
      'train/acc': { step: [0], value: [10.9] },
      'val/acc': { step: [0], value: [10.9] },
    });
    const d = decideSameRun(a, b);
    assert.equal(d.shared, 4);
    assert.equal(d.verdict, 'different', d.reason);
  });

  test('the same values but different stated parameter counts: two runs', () => {
    const a = {
      ...run('a', 'r/a.log', { 'train/loss': { step: steps, value: loss } }),
      meta: { params: { value: 1e7 } },
    };
    const b = {
      ...run('b', 'r/b.log', { 'train/loss': { step: steps, value: loss } }),
      meta: { params: { value: 2e7 } },
    };
    assert.equal(decideSameRun(a, b).verdict, 'different');
    assert.equal(decideSameRun(a, { ...b, meta: { params: { value: 1e7 } } }).verdict, 'same');
  });

  test('different folders without a shared run id are never compared', () => {
    const a = run('a', 'x/train.log', { 'train/loss': { step: steps, value: loss } });
    const b = run('b', 'y/train.log', { 'train/loss': { step: steps, value: loss } });
    assert.equal(decideSameRun(a, b).verdict, 'different');
  });

  test('a resumed run: stdout with a restart, and two event files (0–600 and 400–1000): one run from three files', () => {
    const v = (s: number) => loss[s / 10];
    const before = range(0, 600, 10),
      after = range(400, 1000, 10);
    // stdout: the first attempt to 600, then the resumed attempt from 400 (same values: resumed from a checkpoint)
    const outSteps = [...before, ...after];
    const stdout = run('out', 'r/train.log', {
      'train/loss': { step: outSteps, value: outSteps.map((s) => round(v(s), 4)) },
    });
    const tb1 = run('tb1', 'r/events.out.tfevents.1.host.1.0', {
      'train/loss': { step: before, value: before.map((s) => f32(v(s))) },
    });
    const tb2 = run('tb2', 'r/events.out.tfevents.2.host.1.0', {
      'train/loss': { step: after, value: after.map((s) => f32(v(s))) },
      'val/loss': { step: [1000], value: [3.1] },
    });
    const g = planSameRuns([tb1, stdout, tb2]);
    assert.equal(g.length, 1);
    assert.equal(g[0].primary, 'out', 'the file with the most loss points stands for the run');
    assert.deepEqual(g[0].merged.map((m) => m.id).sort(), ['tb1', 'tb2']);
    const m = mergeSeries([stdout, tb1, tb2]);
    assert.deepEqual(Object.keys(m.metrics).sort(), ['train/loss', 'val/loss']);
    assert.equal(m.metrics['train/loss'], stdout.metrics['train/loss']);
    assert.deepEqual(
      m.parts.map((p) => p.metrics),
      [['train/loss'], [], ['val/loss']],
    );
  });

  test('two MLflow runs of one experiment are two runs, whatever their values (the store gives each its own id)', () => {
    const a = run('m1', 'mlruns/0/aaaa', { 'train/loss': { step: steps, value: loss } }, 'mlflow');
    const b = run('m2', 'mlruns/0/bbbb', { 'train/loss': { step: steps, value: loss } }, 'mlflow');
    assert.equal(decideSameRun(a, b).verdict, 'different');
    assert.equal(
      decideSameRun(a, { ...b, format: 'nanogpt' }).verdict,
      'same',
      'an MLflow run and a stdout log of it can be one run',
    );
  });

  test('two runs of one file are never merged with each other', () => {
    const a = run('f#1', 'r/train.log', { 'train/loss': { step: steps, value: loss } });
    const b = run('f#2', 'r/train.log', { 'train/loss': { step: steps, value: loss } });
    assert.deepEqual(planSameRuns([a, b]), []);
  });

  test('run-id tokens and print rounding', () => {
    assert.deepEqual(runIdTokens('wandb_run-20240430_111132-za1r6og7_files_output.log'), ['za1r6og7']);
    // words with a number and bare numbers name datasets, models, owners (seen in test/fixtures/real): not run ids
    for (const p of [
      'cifar10_train.log',
      'yolov8_results.csv',
      'cs224n_train.log',
      'jm12138__Paddle__log.log',
      'blowup-4-adam-1793736.out',
      'ceciliaguo331_log.txt',
    ])
      assert.deepEqual(runIdTokens(p), [], p);
    assert.deepEqual(runIdTokens('runs/events.out.tfevents.1691309474.host.1042491.0'), []);
    assert.deepEqual(runIdTokens('train_20240101.log'), [], 'a bare date is no run id');
    const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12 * b, `${a} ≈ ${b}`);
    near(printRounding(4.5123), 0.5e-4);
    near(printRounding(1.26e1), 0.05);
    near(printRounding(0.0096529), 0.5e-7);
  });
});

describe('sameRun: real folders through the CLI loader', () => {
  const dir = path.join(REPO, 'test/fixtures/sameRun/yolov5-helmet');

  test('a YOLOv5 run folder (results.csv + its event file) is one run, built from both files', async () => {
    const loaded = await loadPaths([path.join(dir, 'exp2')]);
    assert.equal(loaded.runs.length, 1, loaded.runs.map((r) => r.id).join(', '));
    const r = loaded.runs[0];
    assert.equal(r.builtFrom?.parts.length, 2);
    assert.deepEqual(r.builtFrom!.parts.map((p) => path.basename(p.path)).sort(), [
      'events.out.tfevents.1671637532.gakko.30470.0',
      'results.csv',
    ]);
    assert.match(r.builtFrom!.reason, /same folder/);
    // every epoch of the csv is in the merged run once
    const csvRows = fs.readFileSync(path.join(dir, 'exp2/results.csv'), 'utf8').trim().split('\n').length - 1;
    assert.equal(r.metrics['train/box_loss'].step.length, csvRows);
    assert.ok(loaded.diagnostics.some((d) => d.severity === 'info' && /merged into one run/.test(d.message)));
  });

  test('the two runs of the repository stay two runs; their files are merged within each folder only', async () => {
    const loaded = await loadPaths([dir]);
    assert.equal(loaded.runs.length, 2);
  });

  test('two different runs put in one folder (two event files, two csvs) are never merged across runs', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samerun-'));
    try {
      for (const e of ['exp', 'exp2']) {
        for (const f of fs.readdirSync(path.join(dir, e)))
          fs.copyFileSync(path.join(dir, e, f), path.join(tmp, f.startsWith('events') ? f : `${e}_${f}`));
      }
      const loaded = await loadPaths([tmp]);
      assert.equal(
        loaded.runs.length,
        2,
        loaded.runs
          .map((r) => `${path.basename(r.id)} ${r.builtFrom?.parts.map((p) => path.basename(p.path)).join('+')}`)
          .join('; '),
      );
      for (const r of loaded.runs) {
        const files = r.builtFrom!.parts.map((p) => path.basename(p.path));
        const isExp2 = files.some((f) => f.includes('1671637532'));
        assert.ok(files.includes(isExp2 ? 'exp2_results.csv' : 'exp_results.csv'), files.join(', '));
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('a linked run is counted once in sweep fits', () => {
    const mk = (id: string, p: string, v: number[]) => ({
      id,
      path: p,
      format: 'custom' as const,
      metrics: {
        'train/loss': {
          name: 'train/loss',
          originalName: 'loss',
          step: Float64Array.from([0, 10, 20, 30]),
          value: Float64Array.from(v),
        },
      },
      meta: {
        params: { value: 1e6, source: { path: p, how: 'x' } },
        totalTokens: { value: 1e8, source: { path: p, how: 'x' } },
      },
    });
    const a = mk('a', 'x/train_9f8e7d6.log', [4, 3.5, 3.2, 3.0]);
    const b = { ...mk('b', 'y/metrics_9f8e7d6.csv', [4.1, 3.7, 3.3, 3.1]), linkedTo: { id: 'a', reason: 'test' } };
    const diags: never[] = [];
    const pts = sweepPoints({ runs: [a, b], tables: [], diagnostics: [] }, undefined, diags);
    assert.equal(pts.length, 1);
    assert.equal(pts[0].label, 'a');
  });
});
