/**
 * More spellings of a stated parameter count (issue 14, "every stated spelling beats an estimate"), modelled on the
 * dev corpus's misses and written by hand: a trainable count with the total after a slash, a pair keyed
 * `trainable/total`, `total parameters in model`, and Chinese totals (`总参数`, `总参数量`, `参数总量`, `参数量`). Each
 * failed before the change.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { statedParams } from '../../../src/ingest/metaLines';
import { parse, one, lines } from './inferCase';

describe('stated totals', () => {
  const cases: [string, number, number][] = [
    ['"-____-"     Trainable parameters = 9,437,184/1,244,252,160 (0.76% trained)', 1244252160, 3],
    ['trainable params: 2.5M / 124.4M', 124.4e6, 3],
    ['threads: 8 | train windows: 120 | trainable/total: 1048576/67108864 (1.56%)', 67108864, 3],
    ['trainable/all params = 3.1M/1.5B', 1.5e9, 3],
    ['total parameters in model: 11.69M', 11.69e6, 3],
    ['Total params in the model: 2,345,678', 2345678, 3],
    ['✅ 模型初始化完成 | 总参数：1234567', 1234567, 3],
    ['模型总参数量:86543210', 86543210, 3],
    ['参数总量: 3.5M', 3.5e6, 3],
    ['参数量: 7B', 7e9, 2],
  ];
  for (const [line, value, rank] of cases)
    test(line, () => {
      assert.equal(statedParams(line)?.value, value);
      assert.equal(statedParams(line)?.rank, rank);
    });
  test('a trainable count alone is not a total (可训练参数量, a slash of two other things)', () => {
    assert.equal(statedParams('可训练参数量: 1000000'), undefined);
    assert.notEqual(statedParams('trainable params: 2.5M / 124.4M')?.value, 2.5e6);
  });
});

describe('through the general reader', () => {
  const row = (e: number, loss: string) => `Epoch ${e}/30 | train_loss: ${loss} | val_loss: 0.70`;
  for (const [said, value] of [
    ['🧠 模型初始化完成 | 总参数：704115', 704115],
    ['CPU threads: 10 | train windows: 200 | trainable/total: 4919040/203568960 (2.42%)', 203568960],
    ['total parameters in model: 28.59M', 28.59e6],
  ] as const)
    test(`\`${said}\` before the epochs → ${value}`, async () => {
      const run = one(await parse(lines(said, row(1, '0.90'), row(2, '0.80'), row(3, '0.75'), row(4, '0.70'))));
      assert.equal(run.meta.params?.value, value);
    });
});
