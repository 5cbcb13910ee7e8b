/**
 * A trainable count with the model's total after `of` (Unsloth's banner `Trainable parameters = 28,056,064 of
 * 3,864,077,824 (0.73% trained)`) states the total: the run's size is M, not the trainable N.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statedParams, totalAfterTrainable, totalInParamDict } from '../../../src/ingest/metaLines';
import { parse, one, lines } from './inferCase';

const variants: [string, number][] = [
  [' "-____-"     Trainable parameters = 28,056,064 of 3,864,077,824 (0.73% trained)', 3864077824],
  ['INFO: trainable_params: 4.2M of 1.1B', 1.1e9],
];
for (const [line, total] of variants)
  test(`trainable N of M: ${line.trim()}`, () => {
    assert.equal(totalAfterTrainable(line), total);
    assert.deepEqual(statedParams(line), { value: total, rank: 3, how: 'stated total' });
  });

test('trainable N of M in a log: the run is M parameters, and a bare trainable count stays trainable', async () => {
  const loss = (i: number) =>
    `{'loss': ${(3 / i).toFixed(4)}, 'grad_norm': 1.0, 'learning_rate': 0.0002, 'epoch': ${(i / 10).toFixed(2)}}`;
  const text = [
    '==((====))==  Unsloth - 2x faster free finetuning',
    '   \\\\   /|    Num examples = 399 | Num Epochs = 3',
    ' "-____-"     Trainable parameters = 41,943,040 of 8,072,204,288 (0.52% trained)',
  ];
  for (let i = 1; i <= 10; i++) text.push(loss(i));
  const run = one(await parse(lines(...text), 'finetune.log'));
  assert.equal(run.meta.params?.value, 8072204288);
  assert.equal(totalAfterTrainable('Trainable params: 1,234,567'), undefined);
  assert.equal(totalAfterTrainable('trainable parameters = 9,000 of 5,000'), undefined);
});

/**
 * A dict of per-module parameter counts after the parameter word, with a `total` entry (`Parameters: {'band_split':
 * '35,972', …, 'total': '12,733,472'}`): the total is the run's size, not the first module's count.
 */
const dicts: [string, number][] = [
  [
    "08:34:20  Parameters: {'band_split': '35,972', 'visual_conditioning': '426,368', 'mask_decoder': '7,910,428', 'total': '12,733,472'}",
    12733472,
  ],
  ['model params = {"encoder": 1200000, "decoder": 800000, "total": 2000000}', 2000000],
];
for (const [line, total] of dicts)
  test(`parameter dict with a total: ${line.slice(0, 40)}…`, async () => {
    assert.equal(totalInParamDict(line), total);
    const rows = Array.from({ length: 6 }, (_, i) => `step=${(i + 1) * 100}  loss=${(2 / (i + 1)).toFixed(4)}`);
    const run = one(await parse(lines(line, ...rows)));
    assert.equal(run.meta.params?.value, total);
  });

/**
 * A count said to lie in a number of tensors (DeepSpeed ZeRO-3's `Total persistent parameters: 266240 in 65 params`)
 * counts a subset of the model's tensors: it is no model size, and a later stated trainable count is the run's.
 */
const subsets: [string, string, number][] = [
  [
    '[2024-05-30 03:41:31,900] [INFO] [utils.py:781:see_memory_usage] Parameter Offload: Total persistent parameters: 266240 in 65 params',
    '[INFO|trainer.py:2087] 2024-05-30 03:43:52,035 >>   Number of trainable parameters = 7,248,023,552',
    7248023552,
  ],
  ['offload: parameters = 1,048,576 in 12 tensors', 'model has 124,439,808 trainable parameters', 124439808],
];
for (const [subset, stated, total] of subsets)
  test(`a count over some tensors is no model size: ${subset.slice(-45)}`, async () => {
    assert.equal(statedParams(subset), undefined);
    const rows = Array.from({ length: 6 }, (_, i) => `step=${(i + 1) * 100}  loss=${(2 / (i + 1)).toFixed(4)}`);
    const run = one(await parse(lines(subset, stated, ...rows)));
    assert.equal(run.meta.params?.value, total);
  });

// (hold-out 17's Oscar-Paddle log: `Total parameters: 337.25 M.` was read as 337 — the integer before the dot)
const sentences: [string, number | undefined][] = [
  ['01/02/2022 23:11:34 - INFO - Total parameters: 337.25 M.', 337.25e6],
  ['model_params: 3.2B.', 3.2e9],
  ['Total params: 12.5 M', 12.5e6],
  ['Total params: 1.2M.pth saved', undefined],
];
for (const [line, value] of sentences)
  test(`a count followed by a full stop is read whole, a file name is not a count: ${line}`, () => {
    assert.equal(statedParams(line)?.value, value);
  });
