/**
 * Issue 15 in the real VS Code: evaluation results linked to the run they scored (run model), and the
 * *Suggest Hyperparameters…* command with and without a learning-rate × batch-size sweep in the workspace.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, nanoLines, scratch, until } from './util';
import type { HyperparameterSuggestion } from '../../../src/fit/stepLaw';
import type { HostMessage } from '../../../src/protocol';
import type { TableLawResult } from '../../../src/host/tableLawCommand';
import * as os from 'node:os';

type Suggestion = HyperparameterSuggestion & { text: string; sources: string[] };

/** A v0.4 lm-eval results file for a checkpoint path. */
function results(acc: number, pretrained: string): string {
  return JSON.stringify(
    {
      results: { hellaswag: { alias: 'hellaswag', 'acc,none': acc, 'acc_stderr,none': 0.004 } },
      versions: { hellaswag: 1 },
      'n-shot': { hellaswag: 0 },
      config: { model: 'hf', model_args: `pretrained=${pretrained},dtype=bfloat16` },
      lm_eval_version: '0.4.3',
    },
    null,
    2,
  );
}

describe('downstream and hyperparameters (issue 15)', () => {
  it('lm-eval results in checkpoint folders become downstream points of the run beside them', async function () {
    // A new file is found by the watcher's scan: on a loaded machine that has taken over 30 s.
    this.timeout(150_000);
    const a = await api();
    const dir = scratch('evals');
    const log = path.join(dir, 'train.log');
    fs.writeFileSync(log, nanoLines(0, 40));
    for (const [step, acc] of [
      [10, 0.26],
      [30, 0.31],
    ] as const) {
      const ck = path.join(dir, `checkpoint-${step}`);
      fs.mkdirSync(ck);
      fs.writeFileSync(path.join(ck, 'results_2024-06-01T10-00-00.000001.json'), results(acc, ck));
    }
    const run = await until(() => a.controller.model.runs.get(log), 60_000, 'the training run');
    const d = await until(
      () => {
        const s = a.controller.model.downstreamOf(run)['eval/hellaswag/acc'];
        return s && s.step.length === 2 ? s : undefined;
      },
      30_000,
      'both evaluations linked',
    );
    assert.deepEqual(d, { step: [10, 30], value: [0.26, 0.31] });
    // The Runs view lists the two evaluations under the training run, by step, and not as runs of their own.
    type N = { kind: string; run?: { id: string }; evaluations?: unknown[] };
    const tree = a.runsView as unknown as { getChildren(n?: N): N[] };
    const walk = (n?: N): N[] => tree.getChildren(n).flatMap((c) => [c, ...(c.kind === 'group' ? walk(c) : [])]);
    const listed = await until(
      () => {
        const nodes = walk();
        const node = nodes.find((n) => n.run?.id === log);
        return node && tree.getChildren(node).length === 2 ? { nodes, node } : undefined;
      },
      30_000,
      'the evaluations under their run in the Runs view',
    );
    const under = tree.getChildren(listed.node).map((n) => path.basename(path.dirname(n.run!.id)));
    assert.deepEqual(under, ['checkpoint-10', 'checkpoint-30']);
    const top = new Set(listed.nodes.map((n) => n.run?.id));
    for (const n of tree.getChildren(listed.node))
      assert.ok(!top.has(n.run!.id), `${n.run!.id} is not a run of its own`);
  });

  it('Suggest Hyperparameters… without a sweep: the published Step Law', async () => {
    await api();
    const s = await vscode.commands.executeCommand<Suggestion>(
      'scalingLens.suggestHyperparameters',
      '7B',
      '1.4T',
      true,
    );
    assert.ok(s, 'a suggestion');
    assert.equal(s.N, 7e9);
    assert.equal(s.D, 1.4e12);
    // η* = 1.79·N^−0.713·D^0.307 (Li et al. 2025), in logs
    assert.ok(
      Math.abs(Math.log(s.published.lr) - (Math.log(1.79) - 0.713 * Math.log(7e9) + 0.307 * Math.log(1.4e12))) < 1e-9,
    );
    assert.equal(s.fitted, null);
    assert.match(s.text, /Step Law, published/);
  });

  it('Suggest Hyperparameters… with a LR × batch sweep table: our fit beside the published one, with intervals', async () => {
    await api();
    const dir = scratch('hp-sweep');
    // A sweep around a known law (not the published one); `smooth_loss` keeps it out of the points-table reader.
    const rows: string[] = ['N,D,lr,batch_size,smooth_loss'];
    for (const N of [1e8, 2e8, 4e8])
      for (const D of [1e10, 3e10, 9e10]) {
        const l0 = 0.5 * N ** -0.6 * D ** 0.25,
          b0 = 2 * D ** 0.5;
        for (let i = -3; i <= 3; i++)
          for (let j = -2; j <= 2; j++) {
            const lr = l0 * 2 ** (i / 2),
              bs = b0 * 2 ** (j / 2);
            rows.push(`${N},${D},${lr},${bs},${3 + 0.02 * Math.log(lr / l0) ** 2 + 0.01 * Math.log(bs / b0) ** 2}`);
          }
      }
    const file = path.join(dir, 'hp-sweep.csv');
    fs.writeFileSync(file, rows.join('\n') + '\n');
    try {
      const s = await vscode.commands.executeCommand<Suggestion>('scalingLens.suggestHyperparameters', 3e8, 5e10, true);
      assert.ok(s?.fitted, `fitted: ${s?.warnings.join('; ')}`);
      const truth = 0.5 * 3e8 ** -0.6 * 5e10 ** 0.25;
      assert.ok(Math.abs(s.fitted.lr / truth - 1) < 0.05, `${s.fitted.lr} vs ${truth}`);
      assert.ok(s.fitted.lrInterval && s.fitted.lrInterval[0] <= s.fitted.lr && s.fitted.lr <= s.fitted.lrInterval[1]);
      assert.ok(
        s.sources.some((f) => f.endsWith('hp-sweep.csv')),
        s.sources.join(', '),
      );
      assert.match(s.text, /fitted on this workspace's sweep/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it("the dashboard's downstream and LR × batch views: requested by the webview, answered with points, fits and cells", async () => {
    const a = await api();
    const dir = scratch('lawviews');
    const log = path.join(dir, 'train.log');
    fs.writeFileSync(log, nanoLines(0, 60));
    for (const [step, acc] of [
      [10, 0.25],
      [20, 0.29],
      [35, 0.32],
      [50, 0.34],
    ] as const) {
      const ck = path.join(dir, `checkpoint-${step}`);
      fs.mkdirSync(ck);
      fs.writeFileSync(path.join(ck, 'results.json'), results(acc, ck));
    }
    const sweepFile = path.join(dir, 'lr-bs-sweep.csv');
    const rows = ['N,D,lr,batch_size,smooth_loss'];
    for (const N of [1e8, 4e8])
      for (const D of [1e10, 4e10])
        for (let i = -2; i <= 2; i++)
          for (let j = -1; j <= 1; j++) {
            const l0 = 1.79 * N ** -0.713 * D ** 0.307,
              b0 = 0.58 * D ** 0.571;
            rows.push(`${N},${D},${l0 * 2 ** i},${b0 * 2 ** j},${3 + 0.01 * i * i + 0.005 * j * j}`);
          }
    fs.writeFileSync(sweepFile, rows.join('\n') + '\n');
    try {
      const run = await until(() => a.controller.model.runs.get(log), 30_000, 'the training run');
      await until(
        () => a.controller.model.downstreamOf(run)['eval/hellaswag/acc']?.step.length === 4,
        30_000,
        'four linked evaluations',
      ).catch((e: Error) => {
        const files = [...a.controller.model.files.keys()].filter((f) => f.startsWith(dir));
        const runs = [...a.controller.model.runs.values()]
          .filter((r) => r.path.startsWith(dir))
          .map((r) => `${r.id} ${r.format} ${JSON.stringify(r.meta.evaluation?.step?.value)}`);
        throw new Error(
          `${e.message}; files: ${files.join(', ')}; runs: ${runs.join(' | ')}; linked: ${JSON.stringify(a.controller.model.downstreamOf(run)['eval/hellaswag/acc'])}`,
        );
      });
      await vscode.commands.executeCommand('scalingLens.openDashboard');
      const d = await until(() => a.dashboard(), 10_000, 'the dashboard');
      await until(() => d.probe.sent.some((m) => m.type === 'init'), 30_000, 'an init message');
      const before = d.probe.sent.length,
        recvBefore = d.probe.received.length;
      d.receive({ type: 'requestLawViews' });
      const find = <T extends HostMessage['type']>(t: T) =>
        d.probe.sent.since(before).find((m) => m.type === t) as Extract<HostMessage, { type: T }> | undefined;
      const down = await until(() => find('downstream'), 60_000, 'the downstream view');
      const hp = await until(() => find('hpLandscape'), 60_000, 'the LR × batch view');
      const task = down.view.tasks.find((t) => t.metric === 'eval/hellaswag/acc');
      assert.ok(task, down.view.notes.join('; '));
      assert.deepEqual(
        task.points.filter((p) => p.runId === run.id).map((p) => p.step),
        [10, 20, 35, 50],
      );
      assert.ok(task.fit, task.reason);
      assert.equal(hp.view.cells.length, 4);
      assert.ok(hp.view.fitted, hp.view.warnings.join('; '));
      // the sweep's optimum is the published law exactly: our fit finds it
      const alpha = hp.view.fitted.lr.find((p) => p.name === 'alpha')!;
      assert.ok(Math.abs(alpha.value + 0.713) < 1e-3, String(alpha.value));
      assert.ok(await d.probe.ping(), 'the webview drew them and answered');
      const errors = d.probe.received.since(recvBefore).filter((m) => m.type === 'error');
      assert.deepEqual(errors, [], 'the webview reported no error while drawing the views');
    } finally {
      fs.rmSync(sweepFile, { force: true });
    }
  });

  it('Fit Table Law… fits each table law on a CSV (downstream sigmoid and exponential, over-training, data-constrained, Step Law)', async () => {
    await api();
    // Tables drawn from the published fits, written outside the workspace (so no watcher reads them as sweeps).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-table-laws-'));
    const write = (name: string, header: string, rows: number[][]) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, [header, ...rows.map((r) => r.join(','))].join('\n') + '\n');
      return f;
    };
    const Ls = Array.from({ length: 14 }, (_, i) => 2.3 + (3.2 * i) / 13);
    const sig = (L: number) => -0.55 / (1 + Math.exp(-5 * (L - 3))) + 0.8;
    const err = (L: number) => 0.857 - 2.206 * Math.exp(-0.7146 * L);
    const ot = (N: number, D: number) => 1.8366 + 166.2 * N ** -0.27285 + 287.17 * D ** -0.27285;
    // Muennighoff et al. 2023, C4 fit (as in scripts/make-sample-workspace.mjs)
    const dc = (N: number, D: number, U: number) => {
      const A = Math.exp(6.255414),
        B = Math.exp(7.3049974),
        E = Math.exp(0.6254804),
        a = 0.3526596,
        rd = 15.387756,
        rn = 5.309743;
      const G = ((a * A) / (a * B)) ** (1 / (2 * a)),
        UN = Math.min(N, G * (G * U) ** 1);
      const eff = (u: number, r: number, st: number) => u * (1 + st * (1 - Math.exp(-r / st)));
      return E + A / eff(UN, Math.max(N / UN - 1, 0), rn) ** a + B / eff(U, Math.max(D / U - 1, 0), rd) ** a;
    };
    const sizes = [1e7, 3e7, 1e8, 3e8, 1e9];
    const files = {
      'downstream-sigmoid': write(
        'acc.csv',
        'model,loss,acc',
        Ls.map((L, i) => [i, L, sig(L)]),
      ),
      'downstream-exp': write(
        'err.csv',
        'model,loss,err',
        Ls.map((L, i) => [i, L, err(L)]),
      ),
      overtraining: write(
        'ot.csv',
        'N,D,loss',
        sizes.flatMap((N) => [20, 80, 320].map((M) => [N, M * N, ot(N, M * N)])),
      ),
      'data-constrained': write(
        'dc.csv',
        'N,D,U,loss',
        sizes.flatMap((N) => [1, 4, 16, 40].map((ep) => [N, 40 * N, (40 * N) / ep, dc(N, 40 * N, (40 * N) / ep)])),
      ),
      'steplaw-lr': write(
        'sweep.csv',
        'N,D,lr,batch_size,loss',
        [1e8, 4e8].flatMap((N) =>
          [1e10, 4e10].flatMap((D) =>
            [-2, -1, 0, 1, 2].flatMap((i) =>
              [-1, 0, 1].map((j) => {
                const l0 = 1.79 * N ** -0.713 * D ** 0.307,
                  b0 = 0.58 * D ** 0.571;
                return [N, D, l0 * 2 ** i, b0 * 2 ** j, 3 + 0.01 * i * i + 0.005 * j * j];
              }),
            ),
          ),
        ),
      ),
    };
    try {
      const fit = async (law: keyof typeof files) => {
        const r = await vscode.commands.executeCommand<TableLawResult>(
          'scalingLens.fitTableLaw',
          files[law],
          law,
          true,
        );
        assert.ok(r, `${law}: a fit`);
        assert.equal(r.law, law);
        assert.match(r.text, new RegExp(`^# `));
        return r;
      };
      const s = await fit('downstream-sigmoid');
      assert.ok(Math.abs(s.params.k - 5) < 0.05 && Math.abs(s.params.L0 - 3) < 0.01, JSON.stringify(s.params));
      const e = await fit('downstream-exp');
      assert.ok(
        Math.abs(e.params.gamma - 0.7146) < 1e-3 && Math.abs(e.params.epsilon - 0.857) < 1e-3,
        JSON.stringify(e.params),
      );
      assert.ok(e.intervals.gamma, 'bootstrap intervals');
      const o = await fit('overtraining');
      assert.ok(
        Math.abs(o.params.E - 1.8366) < 0.01 && Math.abs(o.params.alpha - 0.27285) < 0.005,
        JSON.stringify(o.params),
      );
      const d = await fit('data-constrained');
      assert.ok(d.rmse < 2e-3, `rmse ${d.rmse}`);
      assert.match(d.advice ?? '', /epoch/);
      assert.ok('R_D_star' in d.params);
      const l = await fit('steplaw-lr');
      assert.ok(
        Math.abs(l.params.alpha + 0.713) < 1e-3 && Math.abs(l.params.beta - 0.307) < 1e-3,
        JSON.stringify(l.params),
      );
      assert.ok(l.published && l.published.params.c === 1.79);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
