/**
 * Evaluation outputs as input (issue 15): lm-evaluation-harness results files and eval tables, and their link to
 * the training run and step they scored.
 *
 * Real files (Apache-2.0, EleutherAI/pythia @ a19eecb807ec2c79a39ebf18108816e6ffffc1d5, copied unmodified except
 * the CSV, cut to its header + first 600 rows):
 *  - dev:      evals/pythia-v1/pythia-160m/zero-shot/160m_step{1000,23000,143000}.json  → fixtures/evals/pythia-160m/
 *              evals/csv/pythia-125m-deduped/term_frquency_all_shots.csv                → fixtures/evals/pythia-csv/
 *  - hold-out (not opened while developing; its own test below):
 *              evals/pythia-v0/pythia-1.4b/zero-shot/ (first 4 files by name)           → fixtures/evals/holdout/pythia-1.4b/
 *              evals/csv/pythia-350m-deduped/term_frquency_all_shots.csv (600 rows)     → fixtures/evals/holdout/csv/
 * fixtures/evals/linked/ is made by hand (lm-eval 0.4 schema: `acc,none`, `exact_match,strict-match`, "N/A" stderr).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { detectFormat, explainDetection } from '../../../src/ingest/registry';
import { parseLmEval, metricName } from '../../../src/ingest/readers/lmEval';
import { evalTableReader } from '../../../src/ingest/readers/evalTable';
import { checkpointStep, linkEvaluations } from '../../../src/ingest/evalLink';
import { loadPaths } from '../../../src/cli/load';
import { parseOutputOf } from '../../../src/cli/parseCmd';
import type { Run } from '../../../src/ingest/types';
import { ColumnSeries } from '../../../src/ingest/series';
import { sniffOf, readText } from './structured-feed';
import { RunModel } from '../../../src/model/runModel';
import { evaluationsByRun } from '../../../src/model/runTree';
import { parseTrainerState } from '../../../src/ingest/readers/trainerState';

const FX = path.join(REPO, 'test', 'fixtures', 'evals');
const bytes = (s: string) => new TextEncoder().encode(s);

/** Every (task, metric) → value of an lm-eval file, read with JSON.parse (independent of the reader). */
function scoresOf(file: string): Map<string, number> {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { results: Record<string, Record<string, unknown>> };
  const out = new Map<string, number>();
  for (const [task, m] of Object.entries(doc.results))
    for (const [k, v] of Object.entries(m))
      if (typeof v === 'number' && !k.includes('stderr')) out.set(`eval/${task}/${metricName(k)}`, v);
  return out;
}

describe('checkpointStep', () => {
  test('the step named by checkpoint folders, revisions and file names', () => {
    assert.deepEqual(checkpointStep('out/checkpoint-1000')?.step, 1000);
    assert.deepEqual(checkpointStep('step23000')?.step, 23000);
    assert.deepEqual(
      checkpointStep('pythia-1.4b-0shot-global_step11500_eval_results_12-29-2022-16-09-11.json')?.step,
      11500,
    );
    assert.deepEqual(checkpointStep('ckpts/iter_0004000/mp_rank_00')?.step, 4000);
    assert.deepEqual(checkpointStep('runs/a_step5/checkpoint-20/results.json')?.step, 20);
    assert.equal(checkpointStep('EleutherAI/pythia-160m'), undefined);
    assert.equal(checkpointStep('results_2024-06-01T10-00-00.json'), undefined);
    assert.equal(checkpointStep('steps.json'), undefined);
  });
});

describe('lm-eval results reader', () => {
  test('detects both schemas; the general readers do not claim them, and trainer_state is not claimed by it', () => {
    for (const f of [
      'pythia-160m/160m_step23000.json',
      'linked/hf-out/checkpoint-100/results_2024-06-01T10-00-00.000001.json',
    ]) {
      assert.equal(detectFormat(sniffOf(path.join(FX, f)))?.format, 'lm-eval', f);
    }
    const ts = sniffOf(path.join(FX, 'linked/hf-out/trainer_state.json'));
    assert.equal(detectFormat(ts)?.format, 'hf-trainer-state');
    assert.equal(explainDetection(ts).find((d) => d.format === 'lm-eval')?.confidence ?? 0, 0);
  });

  test('Pythia v0.3 file: every task score at the step of its revision (revision=step23000)', () => {
    const f = path.join(FX, 'pythia-160m/160m_step23000.json');
    const r = parseLmEval(f, fs.readFileSync(f));
    const run = r.runs[0];
    assert.equal(run.meta.evaluation?.step?.value, 23000);
    assert.match(run.meta.evaluation!.step!.source.how, /revision=step23000/);
    assert.equal(run.meta.evaluation?.model, 'EleutherAI/pythia-v1.1-160m');
    const want = scoresOf(f);
    assert.ok(want.size > 100);
    for (const [k, v] of want) {
      assert.ok(run.metrics[k], k);
      assert.deepEqual(Array.from(run.metrics[k].step), [23000]);
      assert.equal(run.metrics[k].value[0], v, k);
    }
    assert.ok(run.metrics['eval/piqa/acc_stderr'].value[0] > 0);
  });

  test('v0.4 file: filters in names, stderr beside, "N/A" skipped, step from the checkpoint in model_args', () => {
    const f = path.join(FX, 'linked/hf-out/checkpoint-100/results_2024-06-01T10-00-00.000001.json');
    const run = parseLmEval(f, fs.readFileSync(f)).runs[0];
    assert.equal(run.metrics['eval/hellaswag/acc'].value[0], 0.27);
    assert.equal(run.metrics['eval/hellaswag/acc_stderr'].value[0], 0.004);
    assert.ok(run.metrics['eval/gsm8k/exact_match[strict-match]']);
    assert.ok(run.metrics['eval/gsm8k/exact_match[flexible-extract]']);
    assert.equal(run.metrics['eval/gsm8k/exact_match[flexible-extract]_stderr'], undefined);
    assert.equal(run.meta.evaluation?.step?.value, 100);
    assert.equal(run.meta.hparams?.['eval.lm_eval_version']?.value, '0.4.3');
  });

  test('bad input: truncated, not an object, no results — a diagnostic, never a throw', () => {
    const f = path.join(FX, 'pythia-160m/160m_step1000.json');
    const text = fs.readFileSync(f, 'utf8');
    for (const t of [text.slice(0, 5000), '[]', '{"results": 3}', '{"results": {"a": {"acc": "x"}}}', '']) {
      const r = parseLmEval('x.json', bytes(t));
      assert.ok(r.diagnostics.length > 0, t.slice(0, 30));
    }
  });
});

describe('eval table reader', () => {
  test('Pythia CSV (model, checkpoint, task, fewshot, acc, acc_stderr): one run per model, points at the checkpoint', () => {
    const f = path.join(FX, 'pythia-csv/pythia-125m-deduped_head600.csv');
    assert.equal(detectFormat(sniffOf(f))?.format, 'eval-table');
    const r = readText(evalTableReader, f);
    // Independent count: rows by (model, task, fewshot, checkpoint) from a plain split.
    const rows = fs
      .readFileSync(f, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const models = new Set(rows.map((c) => c[0]));
    assert.equal(r.runs.length, models.size);
    const [model, ck, task, shots, acc] = rows[rows.length - 1];
    const run = r.runs.find((x) => x.meta.name === model)!;
    const s = run.metrics[`eval/${task}${shots !== '0' ? `[${shots}-shot]` : ''}/acc`];
    const i = Array.from(s.step).lastIndexOf(Number(ck));
    assert.ok(i >= 0);
    assert.equal(s.value[i], Number(acc));
    const total = r.runs.reduce(
      (n, x) =>
        n +
        Object.entries(x.metrics)
          .filter(([k]) => !k.endsWith('_stderr'))
          .reduce((m, [, y]) => m + y.step.length, 0),
      0,
    );
    assert.equal(total, rows.length);
  });

  test('a metrics CSV with a step column but no task column stays with the general reader; JSONL eval rows are read', () => {
    const csv = {
      path: 'm.csv',
      head: bytes('step,loss,lr\n1,3.2,0.001\n2,3.1,0.001\n'),
      text: 'step,loss,lr\n1,3.2,0.001\n2,3.1,0.001\n',
    };
    assert.notEqual(detectFormat(csv)?.format, 'eval-table');
    const jl = '{"step": 100, "task": "arc_easy", "acc": 0.4}\n{"step": 200, "task": "arc_easy", "acc": 0.45}\n';
    assert.equal(detectFormat({ path: 'evals.jsonl', head: bytes(jl), text: jl })?.format, 'eval-table');
    const p = evalTableReader.create('evals.jsonl');
    jl.trim()
      .split('\n')
      .forEach((l, i) => p.line(l, i + 1));
    const run = p.result().runs[0];
    assert.deepEqual(Array.from(run.metrics['eval/arc_easy/acc'].step), [100, 200]);
    assert.deepEqual(Array.from(run.metrics['eval/arc_easy/acc'].value), [0.4, 0.45]);
  });
});

describe('linking evaluations to runs', () => {
  test("scores appear next to the run's loss: checkpoint folders (HF) and an eval table beside a text log", async () => {
    const loaded = await loadPaths([path.join(FX, 'linked')]);
    assert.ok(
      !loaded.runs.some((r) => r.format === 'lm-eval' || r.format === 'eval-table'),
      'every evaluation was folded',
    );
    const hf = loaded.runs.find((r) => r.format === 'hf-trainer-state')!;
    assert.deepEqual(Array.from(hf.metrics['eval/hellaswag/acc'].step), [100, 200]);
    assert.deepEqual(Array.from(hf.metrics['eval/hellaswag/acc'].value), [0.27, 0.29]);
    assert.ok(hf.metrics['train/loss']);
    const nano = loaded.runs.find((r) => r.format === 'nanogpt')!;
    assert.deepEqual(Array.from(nano.metrics['eval/arc_easy/acc'].step), [250, 500]);
    const out = parseOutputOf(loaded);
    const hfJson = out.runs.find((r) => r.id === hf.id)!;
    assert.deepEqual(
      hfJson.evaluations.map((e) => e.step),
      [100, 200],
    );
    assert.match(hfJson.evaluations[1].source, /checkpoint-N/);
    assert.equal(hfJson.evaluationOf, null);
    assert.ok(loaded.diagnostics.some((d) => d.severity === 'info' && /linked to run/.test(d.message)));
  });

  test('the sample workspace: four lm-eval checkpoints of gpt-159M-20tpp are its downstream points, the sweep keeps 10 runs', async () => {
    const loaded = await loadPaths([path.join(REPO, 'sample-workspace', 'sweep')]);
    assert.equal(loaded.runs.length, 10);
    const run = loaded.runs.find((r) => r.path.endsWith(path.join('gpt-159M-20tpp', 'trainer_state.json')))!;
    const s = run.metrics['eval/hellaswag/acc'];
    assert.deepEqual(Array.from(s.step), [3000, 6000, 9000, 12000]);
    // loss falls → accuracy rises (the generator's sigmoid has a < 0)
    for (let i = 1; i < s.value.length; i++) assert.ok(s.value[i] > s.value[i - 1]);
  });

  test('evaluations of one model without a training run are gathered: one point per checkpoint', async () => {
    const loaded = await loadPaths([path.join(FX, 'pythia-160m')]);
    assert.equal(loaded.runs.length, 1);
    const s = loaded.runs[0].metrics['eval/lambada_openai/acc'];
    assert.deepEqual(Array.from(s.step), [1000, 23000, 143000]);
    for (const [i, st] of [1000, 23000, 143000].entries()) {
      assert.equal(
        s.value[i],
        scoresOf(path.join(FX, `pythia-160m/160m_step${st}.json`)).get('eval/lambada_openai/acc'),
      );
    }
  });

  test('two training runs in the folder: ambiguous, not linked, and said so', () => {
    const mk = (id: string, evaluation?: Run['meta']['evaluation']): Run => {
      const s = new ColumnSeries('eval/x/acc', 'x: acc');
      s.append(0, 0.5);
      return {
        id,
        path: id,
        format: evaluation ? 'lm-eval' : 'nanogpt',
        metrics: evaluation ? { 'eval/x/acc': s } : {},
        meta: evaluation ? { evaluation } : {},
      };
    };
    const ev = mk('d/checkpoint-5/results.json', { step: { value: 5, source: { path: 'p', how: 'checkpoint-N' } } });
    const res = linkEvaluations([mk('d/a.log'), mk('d/b.log'), ev]);
    assert.equal(res.runs.length, 3);
    assert.ok(res.diagnostics.some((d) => /ambiguous/.test(d.message)));
    // …unless exactly one of them has a loss: that one is the training run (a table beside it is not)
    const withLoss = mk('d/a.log');
    const ls = new ColumnSeries('train/loss', 'loss');
    ls.append(1, 3);
    withLoss.metrics['train/loss'] = ls;
    const picked = linkEvaluations([withLoss, mk('d/b.log'), ev]);
    assert.equal(picked.runs.length, 2);
    assert.deepEqual(Array.from(withLoss.metrics['eval/x/acc'].step), [5]);
    const one = linkEvaluations([mk('d/a.log'), ev]);
    assert.equal(one.runs.length, 1);
    assert.deepEqual(Array.from(one.runs[0].metrics['eval/x/acc'].step), [5]);
  });
});

describe('hold-out (files not opened while developing)', () => {
  test('Pythia v0 1.4b lm-eval files and the 350m-deduped CSV', async () => {
    const dir = path.join(FX, 'holdout/pythia-1.4b');
    const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
    for (const f of files) {
      assert.equal(detectFormat(sniffOf(f))?.format, 'lm-eval', f);
      const run = parseLmEval(f, fs.readFileSync(f)).runs[0];
      const named = /global_step(\d+)/.exec(path.basename(f));
      if (named) assert.equal(run.meta.evaluation?.step?.value, Number(named[1]), f);
      for (const [k, v] of scoresOf(f)) assert.equal(run.metrics[k]?.value[0], v, `${f} ${k}`);
    }
    const loaded = await loadPaths([dir]);
    assert.equal(loaded.runs.length, 1, 'one model, gathered');
    const csv = path.join(FX, 'holdout/csv/pythia-350m-deduped_head600.csv');
    assert.equal(detectFormat(sniffOf(csv))?.format, 'eval-table');
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\n').length - 1;
    const r = readText(evalTableReader, csv);
    const total = r.runs.reduce(
      (n, x) =>
        n +
        Object.entries(x.metrics)
          .filter(([k]) => !k.endsWith('_stderr'))
          .reduce((m, [, y]) => m + y.step.length, 0),
      0,
    );
    assert.equal(total, rows);
  });
});

describe('run model (extension host)', () => {
  test('downstreamOf: the linked evaluations of a run, by step, without mutating the runs', () => {
    const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => 0);
    const ts = path.join(FX, 'linked/hf-out/trainer_state.json');
    const e1 = path.join(FX, 'linked/hf-out/checkpoint-100/results_2024-06-01T10-00-00.000001.json');
    const e2 = path.join(FX, 'linked/hf-out/checkpoint-200/lm_eval/results_2024-06-02T10-00-00.000001.json');
    m.update(e2, parseLmEval(e2, fs.readFileSync(e2)), false);
    m.update(ts, parseTrainerState(ts, fs.readFileSync(ts)), false);
    m.update(e1, parseLmEval(e1, fs.readFileSync(e1)), true, Date.now());
    const run = m.runs.get(ts)!;
    const before = Object.keys(run.metrics).length;
    assert.equal(m.evaluationsOf(run).length, 2);
    const d = m.downstreamOf(run);
    // a results file is written once: finished, not live, however recently it was written
    assert.equal(m.state(m.runs.get(e1)!), 'finished');
    assert.deepEqual(d['eval/hellaswag/acc'], { step: [100, 200], value: [0.27, 0.29] });
    assert.equal(Object.keys(run.metrics).length, before);
    // the trainer_state run logs eval_loss (val/loss) ≥ 8 times? whatever it logs, the evaluations do not change the choice
    const alone = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => 0);
    alone.update(ts, parseTrainerState(ts, fs.readFileSync(ts)), false);
    assert.deepEqual(m.workspaceMetric(), alone.workspaceMetric());
    m.remove(e1);
    assert.deepEqual(m.downstreamOf(run)['eval/hellaswag/acc'].step, [200]);
  });

  test('the run list nests each linked evaluation under the run it scored, by step; unlinked ones stay runs', () => {
    const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => 0);
    const ts = path.join(FX, 'linked/hf-out/trainer_state.json');
    const e1 = path.join(FX, 'linked/hf-out/checkpoint-100/results_2024-06-01T10-00-00.000001.json');
    const e2 = path.join(FX, 'linked/hf-out/checkpoint-200/lm_eval/results_2024-06-02T10-00-00.000001.json');
    // the later checkpoint first: the list is ordered by step, not by arrival
    m.update(e2, parseLmEval(e2, fs.readFileSync(e2)), false);
    m.update(e1, parseLmEval(e1, fs.readFileSync(e1)), false);
    // no training run yet: nothing to nest under, both stay runs of their own
    assert.equal(evaluationsByRun(m.summaries()).size, 0);
    assert.ok(m.summaries().every((r) => r.evaluates === undefined));
    m.update(ts, parseTrainerState(ts, fs.readFileSync(ts)), false);
    const all = m.summaries();
    assert.deepEqual(
      all.filter((r) => r.evaluates).map((r) => [r.id, r.evaluates]),
      [
        [e1, { id: ts, step: 100 }],
        [e2, { id: ts, step: 200 }],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const nested = evaluationsByRun(all);
    assert.deepEqual([...nested.keys()], [ts]);
    assert.deepEqual(
      nested.get(ts)!.map((r) => r.id),
      [e1, e2],
    );
    // the training run gone: its evaluations are runs of their own again
    m.remove(ts);
    assert.equal(evaluationsByRun(m.summaries()).size, 0);
  });
});
