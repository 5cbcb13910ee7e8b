/**
 * Content-based detection: each real text log and each fixture is claimed by the right reader, the generic
 * fallback never beats a specific reader, and non-logs are claimed by nobody.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, shared } from '../helpers/paths';
import { detectFormat } from '../../../src/ingest/registry';
import { makeSniff, parseText } from '../../../src/ingest/incremental';
import { LogFile } from '../../../src/ingest/incremental';

const cases: [string[], string][] = [
  [['logs', 'nanogpt', 'chenzihua_nanogpt_termux_train.log'], 'nanogpt'],
  [['logs', 'modded-nanogpt', 'modded_nanogpt_muon_eb5659d0.txt'], 'modded-nanogpt'],
  [['logs', 'llmc-stdout', 'modded_nanogpt_llmc_main.log'], 'llmc'],
  [['logs', 'megatron-deepspeed', 'datablations_blowup-4-adam-1793736.out'], 'megatron'],
  [['logs', 'olmo', 'olmo_1b_0724_continue_training.log'], 'olmo'],
];

for (const [p, format] of cases) {
  test(`first 64 KiB of ${p.at(-1)} → ${format}`, () => {
    const bytes = fs.readFileSync(shared(...p)).subarray(0, 64 * 1024);
    assert.equal(detectFormat(makeSniff(p.at(-1)!, bytes))?.format, format);
  });
}

// These two print their first metric line after 64 KiB of preamble (byte offsets from `grep -b -m1`:
// qwen7b " iteration" at 111,832; HF "{'loss'" in a line starting at 75,673): LogFile widens the sniff.
for (const [p, format] of [
  [['logs', 'megatron-deepspeed', 'qwen7b_baseline_500.log'], 'megatron'],
  [['logs', 'hf-trainer-stdout', 'llama_sft_train_log.txt'], 'hf-stdout'],
] as [string[], string][]) {
  test(`${p.at(-1)} (metrics after a long preamble) → ${format}`, async () => {
    const lf = new LogFile(shared(...p), { sidecars: false });
    await lf.poll(1);
    assert.equal(lf.format, format);
  });
}

for (const [dir, file, format] of [
  ['fairseq', 'train_json.log', 'fairseq'],
  ['fairseq', 'train_simple.log', 'fairseq'],
  ['torchtitan', 'train.log', 'torchtitan'],
  ['litgpt', 'pretrain.log', 'litgpt'],
  ['nanochat', 'base_train.log', 'nanochat'],
]) {
  test(`fixture ${dir}/${file} → ${format}`, () => {
    const bytes = fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'logs', dir, file));
    assert.equal(detectFormat(makeSniff(file, bytes))?.format, format);
  });
}

test('prose, source code and empty input are not logs', async () => {
  const prose = 'This is a README.\nIt explains the training loop, the loss and the step count.\n'.repeat(50);
  assert.equal(detectFormat(makeSniff('README.md', Buffer.from(prose))), null);
  const code = fs.readFileSync(path.join(REPO, 'src', 'ingest', 'incremental.ts'));
  assert.equal(detectFormat(makeSniff('incremental.ts', code)), null);
  assert.equal(detectFormat(makeSniff('empty.log', new Uint8Array(0))), null);
  const r = await parseText('README.md', prose);
  assert.equal(r.runs.length, 0);
});
