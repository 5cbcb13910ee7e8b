import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { shared } from '../helpers/paths';
import { detectFormat } from '../../../src/ingest/registry';
import { tensorboardReader } from '../../../src/ingest/readers/tensorboard';
import { crc32c, maskedCrc32c } from '../../../src/ingest/binary/crc32c';
import { crc32 } from '../../../src/ingest/binary/crc32';
import { halfToNumber, bfloat16ToNumber } from '../../../src/ingest/binary/half';
import { feedChunks, readBinary, sniffOf } from './structured-feed';
import * as E from './structured-tbencode';

const T5X = () => shared('logs', 'tensorboard', 't5_pile_base_train_events.out.tfevents.1691309474.v2');

// Per-tag scalar counts of the T5X file, from test/fixtures/logs/tensorboard/count_tfevents.py, an independent python walker (framing + protobuf parsed
// by hand with struct/numpy): 2,606 records = 1 file_version + 1 text `config` + 2,604 scalar summaries.
const T5X_COUNTS: Record<string, number> = {
  accuracy: 100,
  cross_ent_loss: 100,
  cross_ent_loss_per_all_target_tokens: 100,
  'effective_batch_size/decoder': 100,
  'effective_batch_size/encoder': 100,
  learning_rate: 100,
  'learning_rate/current': 100,
  loss: 100,
  loss_per_all_target_tokens: 100,
  loss_per_nonpadding_target_token: 100,
  'non_padding_fraction/decoder': 100,
  'non_padding_fraction/encoder': 100,
  'non_padding_fraction/loss_weights': 100,
  'non_padding_fraction/overall': 100,
  'timing/checkpoint_seconds': 100,
  'timing/compilation_seconds': 1,
  'timing/evaluate_seconds': 101,
  'timing/init_or_restore_seconds': 1,
  'timing/seconds': 100,
  'timing/seqs': 100,
  'timing/seqs_per_second': 100,
  'timing/seqs_per_second_per_core': 100,
  'timing/steps_per_second': 100,
  'timing/target_tokens_per_second': 100,
  'timing/target_tokens_per_second_per_core': 100,
  'timing/train_iter_warmup': 1,
  'timing/uptime': 100,
  z_loss: 100,
  z_loss_per_all_target_tokens: 100,
};

function byOriginal(r: ReturnType<typeof readBinary>) {
  return Object.fromEntries(Object.values(r.runs[0].metrics).map((s) => [s.originalName, s]));
}

describe('CRC helpers against published check values', () => {
  test('CRC-32C("123456789") = 0xE3069283, CRC-32 = 0xCBF43926, and the slow test encoder agrees', () => {
    const b = new TextEncoder().encode('123456789');
    assert.equal(crc32c(b), 0xe3069283);
    assert.equal(E.crc32cSlow(b), 0xe3069283);
    assert.equal(crc32(b), 0xcbf43926);
    const big = Uint8Array.from({ length: 1000 }, (_, i) => (i * 131 + 7) & 0xff);
    assert.equal(crc32c(big), E.crc32cSlow(big));
    assert.equal(maskedCrc32c(big), E.mask(E.crc32cSlow(big)));
  });

  test('fp16 / bf16', () => {
    assert.equal(halfToNumber(0x3e00), 1.5);
    assert.equal(halfToNumber(0xc000), -2);
    assert.equal(halfToNumber(0x0001), 2 ** -24);
    assert.equal(halfToNumber(0x7c00), Infinity);
    assert.ok(Number.isNaN(halfToNumber(0x7e00)));
    assert.equal(bfloat16ToNumber(0x3fc0), 1.5);
    assert.equal(bfloat16ToNumber(0xff80), -Infinity);
  });
});

describe('TensorBoard reader: real T5X file', () => {
  test('tags and per-tag counts as the independent walker found; text config ignored', () => {
    const f = T5X();
    assert.equal(detectFormat(sniffOf(f))?.format, 'tensorboard');
    const r = readBinary(tensorboardReader, f);
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity !== 'info'),
      [],
    );
    const m = byOriginal(r);
    const counts = Object.fromEntries(Object.entries(m).map(([k, s]) => [k, s.step.length]));
    assert.deepEqual(counts, T5X_COUNTS);
    assert.equal(
      Object.values(counts).reduce((a, b) => a + b, 0),
      2604,
    );
    assert.ok(!('config' in m));
    // loss: first (10000, 467504.4375), last (1000000, 222732.546875) — float32 tensor_content as decoded by numpy.
    assert.deepEqual([m.loss.step[0], m.loss.value[0]], [10000, 467504.4375]);
    assert.deepEqual([m.loss.step.at(-1), m.loss.value.at(-1)], [1000000, 222732.546875]);
    // The file stores train accuracy as negative floats (SOURCES.md): kept as is.
    assert.equal(m.accuracy.value[0], -0.7458572387695312);
    assert.ok(m.loss.time && m.loss.time[0] > 1.69e9 && m.loss.time[0] < 1.7e9);
  });

  test('fed in 7-byte and 4 KiB chunks: the same points, nothing left pending', () => {
    const f = T5X();
    const bytes = new Uint8Array(fs.readFileSync(f));
    const whole = byOriginal(readBinary(tensorboardReader, f, bytes));
    for (const chunk of [7, 4096]) {
      const { parser, pending } = feedChunks(tensorboardReader.create(f), bytes, chunk);
      assert.equal(pending, 0);
      const m = byOriginal(parser.result());
      for (const k of Object.keys(whole))
        assert.deepEqual(Array.from(m[k].value), Array.from(whole[k].value), `${k} @${chunk}`);
    }
  });
});

describe('TensorBoard reader: T5X loss tags', () => {
  test('real T5X file: train/loss is the per-token loss (magnitude; stored negative), the per-step sum is train/loss_sum', () => {
    const r = readBinary(tensorboardReader, T5X());
    const m = r.runs[0].metrics;
    const loss = m['train/loss'];
    assert.equal(loss.originalName, 'loss_per_nonpadding_target_token');
    assert.equal(m['train/loss_sum'].originalName, 'loss');
    assert.equal(
      m['loss_per_nonpadding_target_token'].value[0] < 0,
      true,
      'the tag itself is kept as stored (negative)',
    );
    assert.equal(loss.step.length, 100);
    // SOURCES.md: the per-token losses run from about 2.38 down to about 1.14 (stored as −2.38 → −1.14)
    assert.ok(
      Math.abs(loss.value[0] - 2.38) < 0.01 && Math.abs(loss.value[99] - 1.134) < 0.01,
      `${loss.value[0]} … ${loss.value[99]}`,
    );
    // Independent check that it is per token: sum / per-token = target tokens per step, which the timing tags
    // give separately as |target_tokens_per_second / steps_per_second| (≈ 2048 sequences × ~96 target tokens).
    const sum = m['train/loss_sum'],
      tps = m['timing/target_tokens_per_second'],
      sps = m['timing/steps_per_second'];
    for (let i = 0; i < 100; i++) {
      assert.equal(sum.step[i], loss.step[i]);
      const perStep = Math.abs(tps.value[i] / sps.value[i]);
      const ratio = sum.value[i] / loss.value[i];
      assert.ok(
        Math.abs(ratio / perStep - 1) < 0.01,
        `step ${loss.step[i]}: sum/per-token ${ratio} vs tokens per step ${perStep}`,
      );
      assert.ok(perStep > 190_000 && perStep < 200_000);
    }
    const note = r.diagnostics.find((d) => d.severity === 'info' && /per-token loss/.test(d.message));
    assert.ok(
      note && /100 of its 100 values are stored negative/.test(note.message) && /train\/loss_sum/.test(note.message),
      note?.message,
    );
  });

  test('positive per-token tags are used as stored; the non-padding one is preferred even when it comes second', () => {
    const file = E.eventsFile([
      E.fileVersionEvent(1.7e9),
      E.event(10, 1.7e9 + 1, [
        E.simpleValue('loss', 400),
        E.simpleValue('loss_per_all_target_tokens', 2),
        E.simpleValue('loss_per_nonpadding_target_token', 2.5),
      ]),
      E.event(20, 1.7e9 + 2, [
        E.simpleValue('loss', 300),
        E.simpleValue('loss_per_all_target_tokens', 1.5),
        E.simpleValue('loss_per_nonpadding_target_token', 1.875),
      ]),
    ]);
    const r = readBinary(tensorboardReader, '/logs/t5x/train/events.out.tfevents.1.host', file);
    const m = r.runs[0].metrics;
    assert.deepEqual(
      [m['train/loss'].originalName, Array.from(m['train/loss'].step), Array.from(m['train/loss'].value)],
      ['loss_per_nonpadding_target_token', [10, 20], [2.5, 1.875]],
    );
    assert.deepEqual(Array.from(m['train/loss_sum'].value), [400, 300]);
    assert.deepEqual(Array.from(m['loss_per_all_target_tokens'].value), [2, 1.5]);
    const note = r.diagnostics.find((d) => /per-token loss/.test(d.message))!;
    assert.ok(!/negative/.test(note.message), note.message);
    // chunked feeding (records split anywhere) gives the same series
    for (const chunk of [5, 64]) {
      const { parser } = feedChunks(
        tensorboardReader.create('/logs/t5x/train/events.out.tfevents.1.host'),
        file,
        chunk,
      );
      const mm = parser.result().runs[0].metrics;
      assert.deepEqual(Array.from(mm['train/loss'].value), [2.5, 1.875], `chunks of ${chunk}`);
      assert.deepEqual(Array.from(mm['train/loss_sum'].value), [400, 300]);
    }
  });

  test('a plain TensorBoard `loss` (no per-token tags) stays train/loss', () => {
    const file = E.eventsFile([E.fileVersionEvent(1.7e9), E.event(1, 1.7e9 + 1, [E.simpleValue('loss', 3.5)])]);
    const r = readBinary(tensorboardReader, '/logs/run/events.out.tfevents.2.host', file);
    assert.deepEqual(Array.from(r.runs[0].metrics['train/loss'].value), [3.5]);
    assert.equal(r.runs[0].metrics['train/loss_sum'], undefined);
    assert.deepEqual(r.diagnostics, []);
  });
});

describe('TensorBoard reader: encoded events (independent encoder)', () => {
  const DT_FLOAT = 1,
    DT_DOUBLE = 2,
    DT_INT64 = 9,
    DT_STRING = 7,
    DT_BFLOAT16 = 14,
    DT_HALF = 19;
  function sample(): Uint8Array {
    return E.eventsFile([
      E.fileVersionEvent(1.7e9),
      E.event(1, 1.7e9 + 1, [E.simpleValue('train/loss', 2.5), E.simpleValue('lr', 0.001)]),
      E.event(2, 1.7e9 + 2, [E.tensorValue('train/loss', E.tensorProto(DT_FLOAT, E.fBytes(4, E.f32bytes(2.25))))]),
      E.event(3, 1.7e9 + 3, [E.tensorValue('train/loss', E.tensorProto(DT_DOUBLE, E.fBytes(4, E.f64bytes(2.125))))]),
      E.event(4, 1.7e9 + 4, [E.tensorValue('train/loss', E.tensorProto(DT_FLOAT, E.fBytes(5, E.f32bytes(2.0))))]), // packed float_val
      E.event(5, 1.7e9 + 5, [E.tensorValue('train/loss', E.tensorProto(DT_DOUBLE, E.fDouble(6, 1.875)))]), // unpacked double_val
      E.event(6, 1.7e9 + 6, [E.tensorValue('train/loss', E.tensorProto(DT_HALF, E.fBytes(13, E.varint(0x3e00))))]), // 1.5
      E.event(7, 1.7e9 + 7, [E.tensorValue('train/loss', E.tensorProto(DT_BFLOAT16, E.fBytes(4, [0xa0, 0x3f])))]), // 1.25
      E.event(8, 1.7e9 + 8, [E.simpleValue('train/loss', NaN), E.simpleValue('grad_norm', Infinity)]),
      E.event(9, 1.7e9 + 9, [E.tensorValue('steps_seen', E.tensorProto(DT_INT64, E.fVarint(10, 123456789012)))]),
      // Not scalars: a 3-element tensor, a string tensor (text plugin), a histogram.
      E.event(10, 1.7e9 + 10, [
        E.tensorValue(
          'hist',
          E.tensorProto(DT_FLOAT, E.fBytes(4, [...E.f32bytes(1), ...E.f32bytes(2), ...E.f32bytes(3)]), [3]),
        ),
        E.tensorValue(
          'config',
          E.tensorProto(DT_STRING, E.fBytes(8, [...new TextEncoder().encode('lr: 0.1')])),
          'text',
        ),
        [...E.fString(1, 'weights'), ...E.fBytes(5, E.fDouble(1, 0))],
      ]),
      E.event(2 ** 40, 1.7e9 + 11, [E.simpleValue('train/loss', 1.0)]), // a large int64 step
    ]);
  }

  test('simple_value, tensor_content f32/f64/bf16, float_val, double_val, half_val, int64; NaN/inf kept; non-scalars ignored', () => {
    const r = readBinary(tensorboardReader, '/logs/run1/events.out.tfevents.1.host', sample());
    assert.equal(r.diagnostics.length, 0);
    const m = r.runs[0].metrics;
    assert.deepEqual(Array.from(m['train/loss'].step), [1, 2, 3, 4, 5, 6, 7, 8, 2 ** 40]);
    const v = m['train/loss'].value;
    assert.deepEqual(Array.from(v.slice(0, 7)), [2.5, 2.25, 2.125, 2.0, 1.875, 1.5, 1.25]);
    assert.ok(Number.isNaN(v[7]));
    assert.equal(m['grad_norm'].value[0], Infinity);
    assert.deepEqual(Array.from(m['lr'].value), [Math.fround(0.001)]);
    assert.deepEqual(Array.from(m['steps_seen'].value), [123456789012]);
    assert.deepEqual(Array.from(m['train/loss'].time!.slice(0, 2)), [1.7e9 + 1, 1.7e9 + 2]);
    for (const k of ['hist', 'config', 'weights']) assert.ok(!(k in m), k);
  });

  test('a flipped data byte: one diagnostic at that record offset, every other record read', () => {
    const good = sample();
    const bad = good.slice();
    // Record 2 is the step-2 event (record 0 is file_version); offsets found by walking the framing.
    const offsets: number[] = [];
    for (let p = 0; p < good.length;) {
      offsets.push(p);
      p += 16 + Number(new DataView(good.buffer).getBigUint64(p, true));
    }
    bad[offsets[2] + 20] ^= 0x10;
    const r = readBinary(tensorboardReader, '/e/events.out.tfevents.x', bad);
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0].offset, offsets[2]);
    assert.deepEqual(Array.from(r.runs[0].metrics['train/loss'].step), [1, 3, 4, 5, 6, 7, 8, 2 ** 40]);
  });

  test('a corrupt length header: diagnostic, resync to the next record', () => {
    const good = sample();
    const offsets: number[] = [];
    for (let p = 0; p < good.length;) {
      offsets.push(p);
      p += 16 + Number(new DataView(good.buffer).getBigUint64(p, true));
    }
    const bad = good.slice();
    bad[offsets[4] + 1] ^= 0xff; // length of the step-4 record
    const r = readBinary(tensorboardReader, '/e/events.out.tfevents.x', bad);
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0].offset, offsets[4]);
    assert.deepEqual(Array.from(r.runs[0].metrics['train/loss'].step), [1, 2, 3, 5, 6, 7, 8, 2 ** 40]);
  });

  test('a truncated last record waits for more bytes (no diagnostic), then reads', () => {
    const all = sample();
    const cut = all.length - 5;
    const p = tensorboardReader.create('/e/events.out.tfevents.x');
    const used = p.feed(all.subarray(0, cut), 0);
    assert.ok(used < cut);
    assert.equal(p.result().diagnostics.length, 0);
    assert.equal(p.result().runs[0].metrics['train/loss'].step.length, 8);
    p.feed(all.subarray(used), used);
    assert.equal(p.result().runs[0].metrics['train/loss'].step.length, 9);
  });

  test('detection by content without the usual file name, and not for other binaries', () => {
    assert.ok(tensorboardReader.detect(sniffOf('/x/data.bin', sample())) >= 0.9);
    assert.equal(
      tensorboardReader.detect(
        sniffOf(
          '/x/data.bin',
          Uint8Array.from({ length: 64 }, (_, i) => i),
        ),
      ),
      0,
    );
  });
});
