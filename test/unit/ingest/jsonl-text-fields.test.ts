/**
 * JSON Lines fields written as text: a pair of counters in one string under a `a/b` key (ms-swift's logging.jsonl,
 * `"global_step/max_steps": "10/234"`) is the step and the planned total, and a parameter count stated in a text
 * value under a key naming parameters (`"model_parameter_info": "…: 8212.5588M Params (…)"`) is the run's size.
 * Both through the reader's line feed (string path) and through loadPaths on a file (the byte path, which must hand
 * such lines to the string path).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { jsonlReader } from '../../../src/ingest/readers/jsonl';
import { loadPaths } from '../../../src/cli/load';
import { feedLines } from './structured-feed';
import type { Run } from '../../../src/ingest/types';

/** ms-swift-like records: loss at steps 5, 10, …, 5·n of `total`, the pair under `key`, then a closing summary. */
function swiftLines(n: number, total: number, key: string, info: string): string[] {
  const out: string[] = [];
  for (let i = 1; i <= n; i++)
    out.push(
      JSON.stringify({
        loss: Number((3 / i).toFixed(5)),
        learning_rate: 1e-4,
        epoch: Number(((5 * i) / total).toFixed(5)),
        [key]: `${5 * i}/${total}`,
        percentage: `${((500 * i) / total).toFixed(2)}%`,
        elapsed_time: `${i}s`,
      }),
    );
  out.push(JSON.stringify({ model_parameter_info: info, last_model_checkpoint: '/out/checkpoint-x' }));
  return out;
}

async function viaFile(lines: string[]): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scaling-lens-jsonl-'));
  const f = path.join(dir, 'logging.jsonl');
  writeFileSync(f, lines.join('\n') + '\n');
  try {
    return (await loadPaths([f])).runs[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const variants = [
  {
    name: 'global_step/max_steps, a PEFT model in M',
    lines: swiftLines(
      12,
      234,
      'global_step/max_steps',
      'PeftModelForCausalLM: 8212.5588M Params (21.8235M Trainable [0.2657%]), 0.0001M Buffers.',
    ),
    last: 60,
    total: 234,
    params: 8212.5588e6,
  },
  {
    name: 'iter/total_iters, a model in B',
    lines: swiftLines(
      7,
      90,
      'iter/total_iters',
      'Qwen2ForCausalLM: 1.5437B Params (1.5437B Trainable [100.0000%]), 0.0000M Buffers.',
    ),
    last: 35,
    total: 90,
    params: 1.5437e9,
  },
];

for (const v of variants) {
  test(`JSONL text fields (${v.name}): the pair is the step and planned total, the stated count the size`, async () => {
    for (const run of [
      feedLines(jsonlReader.create('/x/logging.jsonl'), v.lines).result().runs[0],
      await viaFile(v.lines),
    ]) {
      const loss = run.metrics['train/loss'];
      assert.equal(loss.step.length, v.lines.length - 1);
      assert.equal(loss.step.at(-1), v.last);
      assert.equal(loss.step[0], 5);
      assert.equal(run.meta.totalSteps?.value, v.total);
      assert.ok(Math.abs((run.meta.params?.value ?? 0) / v.params - 1) < 1e-9, `params ${run.meta.params?.value}`);
      assert.ok(!Object.keys(run.metrics).some((k) => k.includes('/') && k.split('/')[1].includes('total')));
    }
  });
}
