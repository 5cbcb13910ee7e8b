/**
 * One training run is one run (issue 14, "Runs, steps and metadata"): a W&B run folder, an HF output folder with
 * checkpoints, and summary files. The planning is pure (paths only); the folder tests read real files through the
 * CLI's loader, on a copy of the W&B fixture of structured-wandb.test.ts plus files written here.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { groupOf, hfCheckpointOf, isSummaryFile, planRunFiles, wandbRunOf } from '../../../src/ingest/runGroups';
import { loadPaths } from '../../../src/cli/load';

const NANOGPT = [
  'number of parameters: 10.65M',
  'iter 0: loss 4.2000, time 10.00ms, mfu -100.00%',
  'iter 10: loss 3.9000, time 10.00ms, mfu 1.00%',
  '',
].join('\n');

/** A trainer_state.json whose log_history holds steps 10, 20, … up to `last`. */
function trainerState(last: number, maxSteps = 30): string {
  const log_history = [];
  for (let s = 10; s <= last; s += 10) log_history.push({ step: s, loss: 3 - s / 100, epoch: s / maxSteps });
  return JSON.stringify({ global_step: last, max_steps: maxSteps, log_history });
}

function write(file: string, text: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('planning (paths only)', () => {
  const wb = 'proj/wandb/run-20240430_111132-za1r6og7';
  test('W&B run folder: .wandb first, then files/output.log; the rest is not a metrics log', () => {
    const files = [
      `${wb}/files/config.yaml`,
      `${wb}/files/output.log`,
      `${wb}/files/wandb-summary.json`,
      `${wb}/logs/debug.log`,
      `${wb}/run-za1r6og7.wandb`,
      'proj/other.log',
    ];
    const plan = planRunFiles(files);
    assert.deepEqual(plan.read, [`${wb}/run-za1r6og7.wandb`, `${wb}/files/output.log`, 'proj/other.log']);
    assert.deepEqual(plan.groups.get(`wandb:${wb}`), [`${wb}/run-za1r6og7.wandb`, `${wb}/files/output.log`]);
    assert.deepEqual(plan.summaries.get(`wandb:${wb}`), [`${wb}/files/wandb-summary.json`]);
    assert.deepEqual(plan.skipped.map((s) => s.path).sort(), [
      `${wb}/files/config.yaml`,
      `${wb}/files/wandb-summary.json`,
      `${wb}/logs/debug.log`,
    ]);
    assert.ok(
      plan.skipped.every((s) => s.reason.length > 20),
      'every skipped file says why',
    );
  });
  test('HF output folder: the final trainer_state.json, else the latest checkpoint (numerically, not by name)', () => {
    const ck = (n: number) => `out/checkpoint-${n}/trainer_state.json`;
    let plan = planRunFiles([ck(500), ck(1000), ck(1500), 'out/trainer_state.json', 'out/all_results.json']);
    assert.deepEqual(plan.read, ['out/trainer_state.json']);
    assert.equal(plan.skipped.length, 4);
    plan = planRunFiles([ck(1000), ck(500), ck(900)]);
    assert.deepEqual(plan.read, [ck(1000)], '1000 > 900 although "1000" < "900" as text');
    // a trainer_state.json in a folder without checkpoints is a run of its own
    assert.deepEqual(planRunFiles(['a/trainer_state.json', 'b/trainer_state.json']).read, [
      'a/trainer_state.json',
      'b/trainer_state.json',
    ]);
  });
  test('helpers', () => {
    assert.deepEqual(wandbRunOf('x/wandb/offline-run-20240611_101500-k3x9p2qa/files/output.log'), {
      runDir: 'x/wandb/offline-run-20240611_101500-k3x9p2qa',
      inner: 'files/output.log',
    });
    assert.equal(wandbRunOf('x/wandb/latest/files/output.log'), undefined);
    assert.deepEqual(hfCheckpointOf('o/checkpoint-42/trainer_state.json'), { outputDir: 'o', step: 42 });
    assert.equal(hfCheckpointOf('o/checkpoint-42/config.json'), undefined);
    assert.ok(
      isSummaryFile('o/train_results.json') &&
        isSummaryFile('r/files/wandb-summary.json') &&
        !isSummaryFile('o/trainer_state.json'),
    );
    assert.equal(groupOf('o/trainer_state.json', new Set(['o'])), 'hf:o');
    assert.equal(groupOf('o/trainer_state.json', new Set()), undefined);
  });
});

describe('folders read as runs', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sl-groups-'));
  test('HF output folder with three checkpoints and a summary: one run, from the latest checkpoint', async () => {
    const dir = tmp();
    write(path.join(dir, 'out', 'checkpoint-10', 'trainer_state.json'), trainerState(10));
    write(path.join(dir, 'out', 'checkpoint-20', 'trainer_state.json'), trainerState(20));
    write(path.join(dir, 'out', 'checkpoint-30', 'trainer_state.json'), trainerState(30));
    write(path.join(dir, 'out', 'all_results.json'), JSON.stringify({ train_loss: 2.8, epoch: 1 }));
    const loaded = await loadPaths([dir]);
    assert.equal(loaded.runs.length, 1);
    const run = loaded.runs[0];
    assert.equal(run.path, path.join(dir, 'out', 'checkpoint-30', 'trainer_state.json'));
    assert.deepEqual(Array.from(run.metrics['train/loss'].step), [10, 20, 30]);
    assert.equal(run.meta.totalSteps?.value, 30);
    const info = loaded.diagnostics
      .filter((d) => d.severity === 'info')
      .map((d) => path.relative(dir, d.path))
      .sort();
    assert.deepEqual(info, [
      path.join('out', 'all_results.json'),
      path.join('out', 'checkpoint-10', 'trainer_state.json'),
      path.join('out', 'checkpoint-20', 'trainer_state.json'),
    ]);
  });
  test("W&B run folder with history, stdout and summary: one run, the .wandb history, the summary's stated size", async () => {
    const dir = tmp();
    const src = path.join(REPO, 'test', 'fixtures', 'logs', 'wandb', 'offline-run-20240611_101500-k3x9p2qa');
    const run = path.join(dir, 'wandb', 'offline-run-20240611_101500-k3x9p2qa');
    fs.cpSync(src, run, { recursive: true });
    write(path.join(run, 'files', 'output.log'), NANOGPT);
    write(
      path.join(run, 'files', 'wandb-summary.json'),
      JSON.stringify({ 'train/loss': 2.1, model_params: 26041425, _step: 399 }),
    );
    write(path.join(run, 'logs', 'debug.log'), 'INFO starting\n');
    const loaded = await loadPaths([dir]);
    assert.equal(loaded.runs.length, 1, loaded.runs.map((r) => `${r.format} ${r.path}`).join('; '));
    assert.equal(loaded.runs[0].format, 'wandb');
    assert.ok(
      loaded.diagnostics.some((d) => d.path.endsWith('output.log') && /same run as/.test(d.message)),
      'the stdout run is named as the same run',
    );
    // the run's config states n_params: 124000000 (make_wandb_fixture.py); stated first, it stays
    assert.equal(loaded.runs[0].meta.params?.value, 124e6);
    assert.match(loaded.runs[0].meta.params!.source.how, /n_params/);
  });
  test('W&B run folder without a .wandb file: the stdout is the run; the summary is not a run but its stated size counts', async () => {
    const dir = tmp();
    const run = path.join(dir, 'wandb', 'run-20240430_111132-za1r6og7');
    write(path.join(run, 'files', 'output.log'), NANOGPT.split('\n').slice(1).join('\n'));
    write(
      path.join(run, 'files', 'wandb-summary.json'),
      JSON.stringify({ 'train/loss': 3.9, 'train/global_step': 10, model_params: 26041425, _step: 1 }),
    );
    const loaded = await loadPaths([dir]);
    assert.equal(loaded.runs.length, 1);
    assert.equal(loaded.runs[0].format, 'nanogpt');
    assert.equal(loaded.runs[0].path, path.join(run, 'files', 'output.log'));
    assert.equal(loaded.runs[0].meta.params?.value, 26041425);
    assert.match(loaded.runs[0].meta.params!.source.how, /wandb-summary\.json model_params/);
  });
  test('a folder whose run files give nothing says so (no silent drop)', async () => {
    const dir = tmp();
    const run = path.join(dir, 'wandb', 'run-20240430_111132-za1r6og7');
    write(path.join(run, 'files', 'output.log'), 'hello\nworld\n');
    write(path.join(run, 'files', 'wandb-summary.json'), JSON.stringify({ loss: 1 }));
    const loaded = await loadPaths([dir]);
    assert.equal(loaded.runs.length, 0);
    assert.ok(
      loaded.diagnostics.some((d) => d.severity === 'warning' && /W&B run folder .*no run found/.test(d.message)),
    );
  });
});
