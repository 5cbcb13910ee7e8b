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

type Suggestion = HyperparameterSuggestion & { text: string; sources: string[] };

/** A v0.4 lm-eval results file for a checkpoint path. */
function results(acc: number, pretrained: string): string {
  return JSON.stringify({
    results: { hellaswag: { alias: 'hellaswag', 'acc,none': acc, 'acc_stderr,none': 0.004 } },
    versions: { hellaswag: 1 }, 'n-shot': { hellaswag: 0 },
    config: { model: 'hf', model_args: `pretrained=${pretrained},dtype=bfloat16` }, lm_eval_version: '0.4.3',
  }, null, 2);
}

describe('downstream and hyperparameters (issue 15)', () => {
  it('lm-eval results in checkpoint folders become downstream points of the run beside them', async () => {
    const a = await api();
    const dir = scratch('evals');
    const log = path.join(dir, 'train.log');
    fs.writeFileSync(log, nanoLines(0, 40));
    for (const [step, acc] of [[10, 0.26], [30, 0.31]] as const) {
      const ck = path.join(dir, `checkpoint-${step}`);
      fs.mkdirSync(ck);
      fs.writeFileSync(path.join(ck, 'results_2024-06-01T10-00-00.000001.json'), results(acc, ck));
    }
    const run = await until(() => a.controller.model.runs.get(log), 30_000, 'the training run');
    const d = await until(() => {
      const s = a.controller.model.downstreamOf(run)['eval/hellaswag/acc'];
      return s && s.step.length === 2 ? s : undefined;
    }, 30_000, 'both evaluations linked');
    assert.deepEqual(d, { step: [10, 30], value: [0.26, 0.31] });
  });

  it('Suggest Hyperparameters… without a sweep: the published Step Law', async () => {
    await api();
    const s = await vscode.commands.executeCommand<Suggestion>('scalingLens.suggestHyperparameters', '7B', '1.4T', true);
    assert.ok(s, 'a suggestion');
    assert.equal(s.N, 7e9);
    assert.equal(s.D, 1.4e12);
    // η* = 1.79·N^−0.713·D^0.307 (Li et al. 2025), in logs
    assert.ok(Math.abs(Math.log(s.published.lr) - (Math.log(1.79) - 0.713 * Math.log(7e9) + 0.307 * Math.log(1.4e12))) < 1e-9);
    assert.equal(s.fitted, null);
    assert.match(s.text, /Step Law, published/);
  });

  it('Suggest Hyperparameters… with a LR × batch sweep table: our fit beside the published one, with intervals', async () => {
    await api();
    const dir = scratch('hp-sweep');
    // A sweep around a known law (not the published one); `smooth_loss` keeps it out of the points-table reader.
    const rows: string[] = ['N,D,lr,batch_size,smooth_loss'];
    for (const N of [1e8, 2e8, 4e8]) for (const D of [1e10, 3e10, 9e10]) {
      const l0 = 0.5 * N ** -0.6 * D ** 0.25, b0 = 2 * D ** 0.5;
      for (let i = -3; i <= 3; i++) for (let j = -2; j <= 2; j++) {
        const lr = l0 * 2 ** (i / 2), bs = b0 * 2 ** (j / 2);
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
      assert.ok(s.sources.some((f) => f.endsWith('hp-sweep.csv')), s.sources.join(', '));
      assert.match(s.text, /fitted on this workspace's sweep/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('the dashboard\'s downstream and LR × batch views: requested by the webview, answered with points, fits and cells', async () => {
    const a = await api();
    const dir = scratch('lawviews');
    const log = path.join(dir, 'train.log');
    fs.writeFileSync(log, nanoLines(0, 60));
    for (const [step, acc] of [[10, 0.25], [20, 0.29], [35, 0.32], [50, 0.34]] as const) {
      const ck = path.join(dir, `checkpoint-${step}`);
      fs.mkdirSync(ck);
      fs.writeFileSync(path.join(ck, 'results.json'), results(acc, ck));
    }
    const sweepFile = path.join(dir, 'lr-bs-sweep.csv');
    const rows = ['N,D,lr,batch_size,smooth_loss'];
    for (const N of [1e8, 4e8]) for (const D of [1e10, 4e10]) for (let i = -2; i <= 2; i++) for (let j = -1; j <= 1; j++) {
      const l0 = 1.79 * N ** -0.713 * D ** 0.307, b0 = 0.58 * D ** 0.571;
      rows.push(`${N},${D},${l0 * 2 ** i},${b0 * 2 ** j},${3 + 0.01 * i * i + 0.005 * j * j}`);
    }
    fs.writeFileSync(sweepFile, rows.join('\n') + '\n');
    try {
      const run = await until(() => a.controller.model.runs.get(log), 30_000, 'the training run');
      await until(() => a.controller.model.downstreamOf(run)['eval/hellaswag/acc']?.step.length === 4, 30_000, 'four linked evaluations').catch((e: Error) => {
        const files = [...a.controller.model.files.keys()].filter((f) => f.startsWith(dir));
        const runs = [...a.controller.model.runs.values()].filter((r) => r.path.startsWith(dir)).map((r) => `${r.id} ${r.format} ${JSON.stringify(r.meta.evaluation?.step?.value)}`);
        throw new Error(`${e.message}; files: ${files.join(', ')}; runs: ${runs.join(' | ')}; linked: ${JSON.stringify(a.controller.model.downstreamOf(run)['eval/hellaswag/acc'])}`);
      });
      await vscode.commands.executeCommand('scalingLens.openDashboard');
      const d = await until(() => a.dashboard(), 10_000, 'the dashboard');
      await until(() => d.probe.sent.some((m) => m.type === 'init'), 30_000, 'an init message');
      const before = d.probe.sent.length, recvBefore = d.probe.received.length;
      d.receive({ type: 'requestLawViews' });
      const find = <T extends HostMessage['type']>(t: T) => d.probe.sent.since(before).find((m) => m.type === t) as Extract<HostMessage, { type: T }> | undefined;
      const down = await until(() => find('downstream'), 60_000, 'the downstream view');
      const hp = await until(() => find('hpLandscape'), 60_000, 'the LR × batch view');
      const task = down.view.tasks.find((t) => t.metric === 'eval/hellaswag/acc');
      assert.ok(task, down.view.notes.join('; '));
      assert.deepEqual(task.points.filter((p) => p.runId === run.id).map((p) => p.step), [10, 20, 35, 50]);
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
});
