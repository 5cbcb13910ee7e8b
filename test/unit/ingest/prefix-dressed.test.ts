/**
 * Known formats behind a logger prefix on every line, as the same prints end up on other machines (issue 14, the
 * metamorphic check `test/fixtures/real/dress.mjs`). Made-up lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSniff, parseBytes } from '../../../src/ingest/incremental';
import { detectKvTable } from '../../../src/ingest/readers/kvTable';
import { hfStdoutReader } from '../../../src/ingest/readers/hfStdout';
import { parseWith } from './bytePathKit';
import { prefixEnd } from '../../../src/ingest/infer/prefix';

/**
 * HF Trainer dicts behind `[rank0]: ` (torchrun): detection sees three dicts glued bare after a progress bar's `\r`
 * (the prefix is only before the first screen line of a `\n` line), matches the reader's signature on the raw sniff
 * and uses it without the prefix stripper; the reader itself then takes a dict after a logger prefix.
 */
function rankLog(): string {
  const out: string[] = [];
  for (let k = 1; k <= 12; k++) {
    const d = `{'loss': ${(3 - k / 10).toFixed(4)}, 'grad_norm': 1.5, 'learning_rate': 1e-05, 'epoch': ${(k / 100).toFixed(2)}}`;
    if (k % 4 === 0) out.push(`[rank0]:  ${k}%|##   | ${k * 10}/1200 [00:${10 + k}<10:00,  1.20it/s]\r${d}`);
    else out.push(`[rank0]: ${d}`);
  }
  return out.join('\n') + '\n';
}

test('hf-stdout: dicts behind a rank prefix on every line are all read, detected through the raw signature', async () => {
  const r = await parseBytes('train.log', Buffer.from(rankLog()));
  const loss = r.runs[0].metrics['train/loss'];
  assert.equal(loss.step.length, 12);
  assert.equal(loss.value[11], 1.8);
});

for (const withBytes of [true, false])
  test(`hf-stdout reader: a dict after Python logging's asctime prefix (${withBytes ? 'byte' : 'string'} path)`, () => {
    const text = [1, 2, 3]
      .map((k) => `[2026-03-01 10:00:0${k},123] INFO - {'loss': ${k / 2}, 'epoch': ${k / 10}}`)
      .concat(['some text {not a dict} {'])
      .join('\n');
    const { r } = parseWith(hfStdoutReader, 'run.log', Buffer.from(text + '\n'), withBytes);
    assert.deepEqual([...r.runs[0].metrics['train/loss'].value], [0.5, 1, 1.5]);
  });

test('hf-stdout reader: a dict after words that are no prefix is not a record', () => {
  const text = "[1, 2, 3]\nthe result was {'loss': 0.5, 'epoch': 0.1}\nthe values: {'loss': 0.7, 'epoch': 0.2}\n";
  const { r } = parseWith(hfStdoutReader, 'run.log', Buffer.from(text), false);
  assert.equal(r.runs[0]?.metrics['train/loss'], undefined);
});

/**
 * A capture tool's or second logger's prefix stacked on Python logging's (`[asctime] INFO - ` over
 * `%(asctime)s - %(levelname)s - %(name)s -`): more blanks than elements, all of it skipped.
 */
test('prefixEnd: a prefix stacked on a logger prefix is skipped whole', () => {
  const cases: [string, string][] = [
    ["[2026-03-01 10:01:32,338] INFO - 12/11/2023 05:18:52 - INFO - __main__ -   {'loss': 1.5}", "{'loss': 1.5}"],
    ['2026-03-01T10:00:00.123Z  [2026-03-01 10:00:00,123] INFO - __main__ - step 5 loss 1', 'step 5 loss 1'],
    ['[rank0]: 2023-12-11 05:18:52 | INFO     | train:fit:12 - epoch 1 loss 2.5', 'epoch 1 loss 2.5'],
  ];
  for (const [line, rest] of cases) assert.equal(line.slice(prefixEnd(line)), rest, line);
});

/**
 * A table row behind loguru's prefix (`… | INFO     | __main__:train:212 - | rollout/ | |`): the row ends with `|`, so
 * a `|` is normally taken as the table's first, but one before a level or a loguru location is the prefix's own.
 */
function loguruTable(): string {
  const out: string[] = [];
  const pre = (k: number) =>
    `2026-03-01 10:00:${String(k % 60).padStart(2, '0')}.123 | INFO     | __main__:train:212 - `;
  let k = 0;
  for (let it = 1; it <= 4; it++) {
    const rows = [
      '-----------------------------------------',
      '| rollout/                |             |',
      `|    ep_len_mean          | ${100 + it}         |`,
      `|    ep_rew_mean          | ${(it * 1.5).toFixed(2)}        |`,
      '| time/                   |             |',
      `|    total_timesteps      | ${it * 2048}        |`,
      '| train/                  |             |',
      `|    loss                 | ${(1 / it).toFixed(3)}       |`,
      '-----------------------------------------',
    ];
    for (const r of rows) out.push(pre(k++) + r);
  }
  return out.join('\n') + '\n';
}

test('prefixEnd: a loguru prefix before a table row is skipped, the row kept', () => {
  const line = '2026-03-01 10:00:00.123 | INFO     | __main__:train:212 - |    ep_len_mean     | 212      |';
  assert.equal(line.slice(prefixEnd(line)), '|    ep_len_mean     | 212      |');
  // a capture tool's time stamp alone before a row: the row's first `|` stays the row's
  const bare = '2026-03-01T10:00:00Z | rollout/ | |';
  assert.equal(bare.slice(prefixEnd(bare)), '| rollout/ | |');
});

test('a Stable-Baselines3 table behind a loguru prefix is read as the table it is', async () => {
  const r = await parseBytes('train.log', Buffer.from(loguruTable()));
  const loss = r.runs[0].metrics['train/loss'];
  assert.deepEqual([...loss.value], [1, 0.5, 0.333, 0.25]);
  assert.deepEqual([...loss.step], [2048, 4096, 6144, 8192]);
});

/**
 * Whole lines in colour (a rich/colorama console captured to a file) with HF Trainer dicts glued after a progress
 * bar's `\r`: the raw sniff matches the reader's signature, so it reads the coloured lines itself.
 */
test('hf-stdout: coloured whole lines with dicts after a progress bar are read', async () => {
  const out: string[] = [];
  for (let k = 1; k <= 6; k++) {
    const bar = `Train:   ${k}%|#   | ${k}/600 [00:0${k}<10:00,  1.20it/s]`;
    out.push(`\x1b[32m\r${bar}\r          \r{'loss': '${(2 - k / 10).toFixed(2)}', 'epoch': '${k / 100}'}\x1b[0m`);
  }
  const r = await parseBytes('stdout.log', Buffer.from(out.join('\n') + '\n'));
  const loss = r.runs[0].metrics['train/loss'];
  assert.equal(r.runs[0].format, 'hf-stdout');
  assert.deepEqual([...loss.value], [1.9, 1.8, 1.7, 1.6, 1.5, 1.4]);
});

/** A Stable-Baselines3 table log padded with NUL bytes at its end (a crash while it was written) is still a table. */
test('kv-table: NUL padding at the end of the file does not make it binary; NUL bytes inside do', async () => {
  const table = Buffer.from(loguruTable().replace(/^.*?212 - /gm, ''));
  const padded = Buffer.concat([table, Buffer.alloc(4096)]);
  assert.equal(detectKvTable(makeSniff('train.log', padded)), 0.7);
  const r = await parseBytes('train.log', padded);
  assert.equal(r.runs[0].format, 'kv-table');
  assert.deepEqual([...r.runs[0].metrics['train/loss'].value], [1, 0.5, 0.333, 0.25]);
  const inside = Buffer.concat([table.subarray(0, 100), Buffer.alloc(64), table.subarray(100)]);
  assert.equal(detectKvTable(makeSniff('train.log', inside)), 0);
});
