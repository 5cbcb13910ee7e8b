/**
 * The dashboard's issue-15 views (src/model/lawViews.ts): downstream scores against loss and compute with the
 * chained prediction, and the LR × batch landscape. Data drawn from known laws; expectations computed here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { downstreamView, hpLandscapeView, lossAt, type DownstreamSource } from '../../../src/model/lawViews';
import type { Run } from '../../../src/ingest/types';
import type { SweepFitView } from '../../../src/protocol';
import { seriesFrom } from '../../../src/ingest/series';
import { parseCsv } from '../../../src/fit/csv';
import { nearOptimalRuns } from '../../../src/fit/stepLaw';

const sig = (L: number) => -0.55 / (1 + Math.exp(-5 * (L - 3))) + 0.8;

function source(): { src: DownstreamSource; runs: Run[] } {
  const runs: Run[] = [];
  const evals = new Map<Run, Record<string, { step: number[]; value: number[] }>>();
  for (const k of [0, 1, 2]) {
    const step = Array.from({ length: 50 }, (_, i) => (i + 1) * 100);
    const loss = step.map((s) => 2.2 + 3 * (s / 100) ** -0.35 - 0.3 * k);
    const run: Run = {
      id: `r${k}`,
      path: `/w/r${k}/train.log`,
      format: 'nanogpt',
      metrics: { 'val/loss': seriesFrom('val/loss', 'val/loss', step, loss) },
      meta: {},
    };
    runs.push(run);
    const es = [500, 1500, 3000, 5000];
    evals.set(run, {
      'eval/hellaswag/acc': { step: es, value: es.map((s) => sig(lossAt(step, loss, s)!)) },
      'eval/hellaswag/acc_stderr': { step: es, value: es.map(() => 0.004) },
    });
  }
  return {
    runs,
    src: {
      runs,
      downstreamOf: (r) => evals.get(r) ?? {},
      metricOf: () => 'val/loss',
      params: (r) => [1e8, 3e8, 1e9][Number(r.id.slice(1))],
      tokensAt: (_r, s) => s * 5e5,
      label: (r) => r.id,
    },
  };
}

test('lossAt interpolates between neighbours and refuses steps outside the run', () => {
  assert.equal(lossAt([10, 20], [4, 2], 15), 3);
  assert.equal(lossAt([10, 20], [4, 2], 5), undefined);
  assert.equal(lossAt([10, 20], [4, NaN], 20), undefined); // the loss there is NaN, the last finite one is far
  assert.equal(lossAt([100, 200], [4, 2], 203), 2); // an evaluation logged just after the last loss point
});

test("downstream view: points pair each score with the run's loss and compute; the sigmoid is recovered; the chain follows the frontier", async () => {
  const { src } = source();
  const frontier = { C: [1e18, 1e19, 1e20], loss: [3.4, 3.0, 2.7], N: [1, 1, 1], D: [1, 1, 1] };
  const sweepFit = {
    ok: true,
    points: [],
    frontier,
    prediction: { axis: 'C', at: 1e20, value: 2.7, lower: 2.6, upper: 2.8 },
  } as SweepFitView;
  const v = await downstreamView(src, sweepFit, { bootstrap: 40 });
  assert.equal(v.tasks.length, 1, 'stderr series are not tasks');
  const t = v.tasks[0];
  assert.equal(t.points.length, 12);
  const p = t.points.find((q) => q.runId === 'r1' && q.step === 1500)!;
  assert.equal(p.C, 6 * 3e8 * 1500 * 5e5);
  assert.ok(Math.abs(p.value - sig(p.loss)) < 1e-12);
  assert.ok(t.fit, t.reason);
  assert.equal(t.fit!.law, 'downstream-sigmoid');
  for (let i = 0; i < t.fit!.curve.x.length; i += 10)
    assert.ok(Math.abs(t.fit!.curve.y[i] - sig(t.fit!.curve.x[i])) < 0.02, `at L = ${t.fit!.curve.x[i]}`);
  assert.ok(t.chain);
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(t.chain!.value[i] - sig(frontier.loss[i])) < 0.02);
    assert.ok(t.chain!.lower[i] <= t.chain!.value[i] && t.chain!.value[i] <= t.chain!.upper[i]);
  }
  const at = t.chain!.at!;
  // the loss interval [2.6, 2.8] maps (decreasing sigmoid in L) to at least [sig(2.8), sig(2.6)]
  assert.ok(at.lower <= sig(2.8) + 0.02 && at.upper >= sig(2.6) - 0.02, JSON.stringify(at));
});

test('downstream view with no evaluations: a note, no tasks', async () => {
  const v = await downstreamView(
    {
      runs: [],
      downstreamOf: () => ({}),
      metricOf: () => undefined,
      params: () => undefined,
      tokensAt: () => undefined,
      label: () => '',
    },
    undefined,
  );
  assert.equal(v.tasks.length, 0);
  assert.match(v.notes[0], /No evaluation scores/);
});

test('LR × batch landscape of the sample sweep: cells, best run, near-optimal set, fits beside the published Step Law', async () => {
  const { header, rows } = parseCsv(
    fs.readFileSync(path.join(REPO, 'sample-workspace/laws/hyperparameter-sweep.csv'), 'utf8'),
  );
  const at = (r: string[], k: string) => +r[header.indexOf(k)];
  const sweep = rows.map((r) => ({
    N: at(r, 'N'),
    D: at(r, 'D'),
    lr: at(r, 'lr'),
    bs: at(r, 'batch_size'),
    loss: at(r, 'loss'),
  }));
  let pauses = 0;
  const v = await hpLandscapeView(sweep, ['laws/hyperparameter-sweep.csv'], {
    bootstrap: 40,
    pause: async () => {
      pauses++;
    },
  });
  assert.ok(pauses > 4);
  assert.equal(v.cells.length, new Set(sweep.map((r) => `${r.N}|${r.D}`)).size);
  const near = nearOptimalRuns(sweep).rows.length;
  assert.equal(
    v.cells.reduce((n, c) => n + c.runs.filter((r) => r.nearOptimal).length, 0),
    near,
  );
  for (const c of v.cells) {
    const own = sweep.filter((r) => r.N === c.N && r.D === c.D);
    assert.equal(c.best.loss, Math.min(...own.map((r) => r.loss)));
    assert.ok(c.fitted && c.fitted.lr > 0 && c.fitted.bs > 0);
    assert.ok(
      Math.abs(Math.log(c.published.lr) - (Math.log(1.79) - 0.713 * Math.log(c.N) + 0.307 * Math.log(c.D))) < 1e-9,
    );
  }
  // The sample's optimum follows the published law: its exponent lies in our interval.
  const alpha = v.fitted!.lr.find((p) => p.name === 'alpha')!;
  assert.ok(alpha.lower! <= -0.713 && -0.713 <= alpha.upper!, JSON.stringify(alpha));
  assert.match(v.published.lr, /1\.79/);
});
