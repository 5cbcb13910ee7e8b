/**
 * The byte-level fast paths of the line readers (`LineParser.asciiLine`) must be invisible: each real log of
 * `../shared/data/logs` in a format with a byte path, and thousands of random mutations of its lines, is parsed
 * twice — through the reader as it is (the byte path takes the lines it can) and through the same reader with
 * `asciiLine` removed (the plain string path, the reference) — and the two results must be identical: same
 * series, points, metadata and diagnostics. Each test also checks that the byte path really took most metric
 * lines (a byte path that declined everything would pass the comparison and be useless). Speed: bench/ rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseWith, plain, points } from './bytePathKit';
import type { TextReader } from '../../../src/ingest/reader';
import { megatronReader } from '../../../src/ingest/readers/megatron';
import { csvReader } from '../../../src/ingest/readers/csv';
import { lightningCsvReader } from '../../../src/ingest/readers/lightningCsv';
import { kerasCsvReader } from '../../../src/ingest/readers/kerasCsv';
import { jsonlReader } from '../../../src/ingest/readers/jsonl';
import { llmcReader } from '../../../src/ingest/readers/llmc';
import { moddedNanogptReader } from '../../../src/ingest/readers/moddedNanogpt';
import { olmoReader } from '../../../src/ingest/readers/olmo';
import { nanochatReader } from '../../../src/ingest/readers/nanochat';
import { SHARED_DATA } from '../helpers/paths';

const LOGS = path.join(SHARED_DATA, 'logs');

const parse = parseWith;

/** Random edits of the lines (insert / delete / replace a character from `alphabet`), deterministic. */
function mutate(text: string, seed: number, alphabet: readonly string[], maxLines = 20_000): string {
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const out: string[] = [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol).slice(0, maxLines);
  for (let l of lines) {
    const edits = Math.floor(rnd() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rnd() * (l.length + 1));
      const op = rnd();
      const ch = alphabet[Math.floor(rnd() * alphabet.length)];
      if (op < 0.4) l = l.slice(0, at) + ch + l.slice(at);
      else if (op < 0.7) l = l.slice(0, at) + l.slice(at + 1);
      else l = l.slice(0, at) + ch + l.slice(at + 1);
    }
    out.push(l);
  }
  return out.join(eol) + eol;
}

const CASES: { reader: TextReader; files: string[]; metricLine: RegExp; alphabet: string[] }[] = [
  {
    reader: megatronReader,
    files: ['megatron-deepspeed/datablations_blowup-4-adam-1793736.out', 'megatron-deepspeed/qwen7b_baseline_500.log'],
    metricLine: /^(?:\d+:)?[ \t]*iteration\s+\d+\/\s*\d+ \|/,
    alphabet: ['0', '1', '9', '.', 'e', 'E', '-', '+', ' ', ':', '|', '\t', 'n', 'a', 'l', 'x', '%', ','],
  },
  {
    reader: csvReader,
    files: ['lightning-csv/slm_training_v0_metrics.csv', 'keras-csvlogger/tomato_leaf_cnn_keras_training_log.csv'],
    metricLine: /^[\d.eE+-]*(?:,[\d.eE+-]*)+$/,
    alphabet: ['0', '1', '9', '.', 'e', 'E', '-', '+', ' ', ',', '\t', '"', 'n', 'a', 'N', '_'],
  },
  {
    reader: jsonlReader,
    files: ['jsonl/luojiu_7b_llamafactory_trainer_log.jsonl'],
    metricLine: /^\{"current_steps": \d+/,
    alphabet: [
      '0',
      '1',
      '9',
      '.',
      'e',
      'E',
      '-',
      '+',
      ' ',
      ':',
      ',',
      '"',
      '{',
      '}',
      '[',
      'n',
      'u',
      'l',
      'N',
      'a',
      'I',
      '\\',
      '\t',
    ],
  },
  {
    reader: llmcReader,
    files: ['llmc-stdout/modded_nanogpt_llmc_main.log'],
    metricLine: /^s:\d+ t[re]l:/,
    alphabet: ['0', '1', '9', '.', 'e', '-', '+', ' ', ':', 't', 'r', 'l', 'n', 'a', '\t', ','],
  },
  {
    reader: moddedNanogptReader,
    files: ['modded-nanogpt/modded_nanogpt_muon_eb5659d0.txt'],
    metricLine: /^step:\d+\/\d+ (?:val|train)_loss:[\d.]+ /,
    alphabet: ['0', '1', '9', '.', 'e', '-', '+', ' ', ':', '/', 'm', 's', 'n', 'a', '\t', ',', '%', '"'],
  },
  {
    reader: olmoReader,
    files: ['olmo/olmo_1b_0724_continue_training.log'],
    metricLine: /^ {4}[A-Za-z][\w/]*=[\d.,]+$/,
    alphabet: ['0', '1', '9', '.', 'e', '-', '+', ' ', '=', ',', '/', '%', 'n', 'a', '\t', '"', "'"],
  },
  {
    reader: lightningCsvReader,
    files: ['lightning-csv/slm_training_v0_metrics.csv'],
    metricLine: /^[\d.eE+-]*(?:,[\d.eE+-]*)+$/,
    alphabet: ['0', '1', '.', 'e', '-', ' ', ',', '"', 'n'],
  },
  {
    reader: kerasCsvReader,
    files: ['keras-csvlogger/tomato_leaf_cnn_keras_training_log.csv'],
    metricLine: /^[\d.eE+-]*(?:,[\d.eE+-]*)+$/,
    alphabet: ['0', '1', '.', 'e', '-', ' ', ',', '"', 'n'],
  },
];

for (const c of CASES) {
  for (const rel of c.files) {
    test(`${c.reader.format} byte path = string path on the real log ${rel}, in any chunking`, () => {
      const file = path.join(LOGS, rel);
      const bytes = fs.readFileSync(file);
      const ref = parse(c.reader, file, bytes, false);
      assert.ok(points(ref.r) > 0, 'the real log has points');
      for (const chunk of [1 << 20, 4096, 61]) {
        const got = parse(c.reader, file, bytes, true, chunk);
        assert.deepStrictEqual(plain(got.r), plain(ref.r), `chunks of ${chunk}`);
      }
      // the byte handler takes the metric lines (each offered alone, after the file's lines before it) …
      const lines = bytes.toString('latin1').split(/\r?\n/);
      const p = c.reader.create(file);
      let metric = 0;
      let took = 0;
      lines.forEach((l, k) => {
        const b = Buffer.from(l + '\n', 'latin1');
        if (c.metricLine.test(l)) {
          metric++;
          if (p.asciiLine!(b, 0, b.length - 1, k + 1) >= 0) return void took++;
        }
        p.line(l, k + 1);
      });
      assert.ok(metric > 0 && took >= 0.9 * metric, `byte handler took ${took} of ${metric} metric lines`);
      // … and the feeder offers them to it
      assert.ok(parse(c.reader, file, bytes, true, 4096).taken > 0, 'the feeder used the byte path');
    });

    test(`${c.reader.format} byte path = string path on random mutations of ${rel}`, () => {
      const file = path.join(LOGS, rel);
      const text = fs.readFileSync(file, 'utf8');
      let taken = 0;
      for (const seed of [1, 2, 3, 4, 5]) {
        const m = Buffer.from(mutate(text, seed, c.alphabet));
        const a = parse(c.reader, file, m, true, 4096);
        const b = parse(c.reader, file, m, false, 4096);
        assert.deepStrictEqual(plain(a.r), plain(b.r), `seed ${seed}`);
        taken += a.taken;
      }
      assert.ok(taken > 0, 'some mutated lines still take the byte path');
    });
  }
}

test('megatron byte path = string path on edge-case iteration lines', () => {
  const base =
    ' iteration      200/  148693 | consumed samples: 25600 | consumed tokens: 52428800 | elapsed time per iteration (ms): 1234.5 | learning rate: 4.152E-05 | global batch size: 128 | lm loss: 9.980914E+00 | loss scale: 1024.0 | grad norm: 9262.586 | number of skipped iterations:   0 | number of nan iterations:   0 |';
  const lines = [
    base,
    '0: ' + base.replace('200/', '201/'),
    '12:' + base.replace('200/', '202/'),
    '[rank0]: ' + base.replace('200/', '203/'),
    base.replace('200/', '204/').replace('lm loss: 9.980914E+00', 'lm loss: nan'),
    base.replace('200/', '205/').replace('grad norm: 9262.586', 'grad norm: 1,234.5'),
    base.replace('200/', '206/').replace('lm loss: 9.980914E+00', 'lm loss:  9.9 '),
    base.replace('200/', '207/').replace('lm loss: 9.980914E+00', 'lm loss: 9.9%'),
    base.replace('200/', '208/').replace(' |', ''),
    base.replace('200/', '209/').replace('lm loss: 9.980914E+00', '\tlm loss\t: 9.5'),
    base.replace('200/', '210/').replace('lm loss: 9.980914E+00', 'lm loss: 12345678901234567'),
    base.replace('200/', '211/').replace('lm loss: 9.980914E+00', 'lm loss: 1e400'),
    base.replace('200/', '212/').replace('lm loss: 9.980914E+00', 'lm: loss: 3'),
    base.replace('200/', '213/').replace('lm loss: 9.980914E+00', 'lm loss: ' + '1'.repeat(70)),
    base.replace('200/', '214/').replace('lm loss: 9.980914E+00', 'lm loss: ' + '1'.repeat(64)),
    'iteration 5/10',
    'iteration 6/10 | lm loss: 3.5',
    ' iteration 7 / 10 | lm loss: 3.5 |',
    ' iteration 1234567890123456789/ 10 | lm loss: 3.5 |',
    'validation loss at iteration 100 | lm loss value: 7.666490E+00 | lm loss PPL: 2.135573E+03 |',
    '12345: not a rank',
    '',
  ];
  const bytes = Buffer.from(lines.join('\n') + '\n');
  const a = parse(megatronReader, '/w/m.log', bytes, true, 17);
  const b = parse(megatronReader, '/w/m.log', bytes, false, 17);
  assert.deepStrictEqual(plain(a.r), plain(b.r));
  assert.ok(a.taken >= 5, `byte path took ${a.taken} lines`);
  assert.equal(a.r.runs[0].meta.totalSteps?.value, 148693);
  const loss = a.r.runs[0].metrics['train/loss'];
  // (the edge cases' iterations go back, 214 then 6: the series keeps the last write per step, in step order)
  assert.equal(loss.value[Array.from(loss.step).indexOf(200)], 9.980914);
});

test('csv byte path = string path on edge-case rows (missing cells, spaces, text, quotes, headers again)', () => {
  const rows = [
    'step,loss,lr,name',
    '0,10.5,3e-4,',
    '1, 10.25 ,, x',
    '2,"9.5",1e-4,',
    '3,,,',
    ',1.5,2,',
    '4,nan,1,',
    '5,9,-,',
    '6,8.5,1_000,',
    '7,8.25,.5,',
    '8,8.,5.,',
    '9,1,2,3,4',
    'step,loss,lr,name',
    '10,7.5,1e-5,',
    '11,7.25,1e-5',
    '',
    '   ',
    '12,-0,+1,',
  ];
  for (const chunk of [1, 5, 1 << 20]) {
    const bytes = Buffer.from(rows.join('\n') + '\n');
    const a = parse(csvReader, '/w/t.csv', bytes, true, chunk);
    const b = parse(csvReader, '/w/t.csv', bytes, false, chunk);
    assert.deepStrictEqual(plain(a.r), plain(b.r), `chunks of ${chunk}`);
    assert.ok(a.taken >= 5, `byte path took ${a.taken} rows`);
  }
});

test('jsonl byte path = string path on edge-case lines (values, keys, whitespace, invalid JSON)', () => {
  const lines = [
    '{"step": 1, "loss": 2.5, "lr": 3e-4}',
    '  {"step":2,"loss":2.25,"lr":1E-4}  ',
    '{"step": 3, "loss": -0, "acc": 0.1234567890123456789, "big": 1e400}',
    '{"step": 4, "loss": null, "ok": true, "bad": false, "t": "0:03:29", "r": "4 days, 5:06:09"}',
    '{"step": 5, "loss": "2.5"}',
    '{"step": 6, "loss": " nan "}',
    '{"step": 7, "loss": "Infinity", "x": "-inf"}',
    '{"step": 8, "loss": NaN}',
    '{"step": 9, "loss": 01}',
    '{"step": 10, "loss": 1.}',
    '{"step": 11, "loss": .5}',
    '{"step": 12, "loss": +1}',
    '{"step": 13, "loss": 1e}',
    '{"step": 14, "loss": 2.5, "loss": 3.5}',
    '{"1": 2, "step": 15, "loss": 2}',
    '{"step": 16, "nested": {"loss": 2.5}}',
    '{"step": 17, "arr": [1, 2]}',
    '{"step": 18, "k\\"q": 1}',
    '{"step": 19, "loss": 2.5,}',
    '{"step": 20, "loss": 2.5} x',
    '{}',
    '[1, 2]',
    '',
    '{"iter": 21, "global_step": 210, "loss": 1.5}',
    '{"loss": 1.25}',
    '{"step": 22, "timestamp": 1700000000.5, "loss": 1.0, "total_steps": 100, "n_parameters": 125000000, "_runtime": 3}',
    '{"step": 23, "__proto__": 1, "loss": 1}',
    '{"step": 24, "s": "1_000", "u": "1,5", "w": "-.5e+3"}',
  ];
  for (const chunk of [1, 13, 1 << 20]) {
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const a = parse(jsonlReader, '/w/t.jsonl', bytes, true, chunk);
    const b = parse(jsonlReader, '/w/t.jsonl', bytes, false, chunk);
    assert.deepStrictEqual(plain(a.r), plain(b.r), `chunks of ${chunk}`);
    assert.ok(a.taken >= 7, `byte path took ${a.taken} lines`);
  }
});

test('olmo byte path = string path on edge-case block lines', () => {
  const lines = [
    '2025-12-12 11:05:02.009\thost:0\tolmo.train:979\tINFO\t[step=1/15000,epoch=0]',
    '    train/CrossEntropyLoss=2.998',
    '    throughput/total_tokens=2,097,152',
    '    aa=1,234.5',
    '    bb=1,2345',
    '    cc=12,345,678,901,234,567',
    '    dd=nan',
    '    ee=45%',
    "    ff='2.5'",
    '    gg=2.5   ',
    '    hh=2.5 x',
    '    i j=3',
    '    x=1',
    '    kk==3',
    '     =3',
    '    1x=3',
    '\t\tll=+.5e-3',
    ' mm=1',
    '    train/CrossEntropyLoss=2.5',
    'not indented=1',
    '    nn=4',
    '2025-12-12 11:06:02.009\thost:0\tolmo.train:979\tINFO\t[step=2/15000,epoch=0]',
    '    train/CrossEntropyLoss=2.75',
    '    oo=-1,000',
    '    pp=' + '2'.repeat(65),
    '    qq=' + '2'.repeat(64),
  ];
  for (const chunk of [1, 9, 1 << 20]) {
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const a = parse(olmoReader, '/w/o.log', bytes, true, chunk);
    const b = parse(olmoReader, '/w/o.log', bytes, false, chunk);
    assert.deepStrictEqual(plain(a.r), plain(b.r), `chunks of ${chunk}`);
    assert.ok(a.taken >= 6, `byte path took ${a.taken} lines (chunks of ${chunk})`);
  }
});

test('nanochat byte path = string path on step lines, edge cases and random mutations', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const lines: string[] = ['Step 00000 | Validation bpb: 1.2345'];
  for (let k = 1; k <= 3000; k++) {
    const step = String(k).padStart(5, '0');
    lines.push(
      `step ${step}/03000 (${((100 * k) / 3000).toFixed(2)}%) | loss: ${(2 + 8 / Math.sqrt(k)).toFixed(6)} | grad norm: ${(0.5 + rnd()).toFixed(4)} | lrm: 1.00 | dt: ${(100 + 50 * rnd()).toFixed(2)}ms | tok/sec: ${(100000 + Math.floor(900000 * rnd())).toLocaleString('en')} | mfu: ${(40 + 5 * rnd()).toFixed(2)} | total time: ${(k / 60).toFixed(2)}m`,
    );
    if (k % 250 === 0) lines.push(`Step ${step} | Validation bpb: ${(0.9 + rnd() / 10).toFixed(4)}`);
  }
  const edge = [
    'step 00001/00010 (10.00%) | loss: nan | grad norm: 1',
    'step 00002/00010 (20.00%) | loss: 3.5% | lrm: "1.0"',
    'step 00003/00010 (30.00%) | constructor: 5 | loss: 3',
    'step 00004/00010 (40.00%) | toString: x | loss: 3',
    'step 00005/00010 (50.00%)',
    'step 00006/00010 (60.00%) no bars',
    'step 00007/00010 (70.00%) | loss:: 3 | mfu : 2 | tok/sec: 1,2345 | grad norm:\t4 ',
    'step 00008/10 (x%) | loss: 3',
    'step 00009/00010 (90.00%) | loss: ' + '1'.repeat(65) + ' | mfu: ' + '1'.repeat(64),
    'step 00010/00010 (100.00%) | loss: 1e3 | lrm: .5 | mfu: -0 | tok/sec: -1,000.5',
  ];
  const text = [...lines, ...edge].join('\n') + '\n';
  const alphabet = ['0', '1', '9', '.', 'e', '-', '+', ' ', ':', '|', '/', '(', ')', '%', ',', 'n', 'a', '\t', '"'];
  for (const [name, t] of [
    ['plain', text],
    ['mutated 1', mutate(text, 1, alphabet)],
    ['mutated 2', mutate(text, 2, alphabet)],
  ] as const) {
    const bytes = Buffer.from(t);
    for (const chunk of [61, 1 << 20]) {
      const a = parse(nanochatReader, '/w/nc.log', bytes, true, chunk);
      const b = parse(nanochatReader, '/w/nc.log', bytes, false, chunk);
      assert.deepStrictEqual(plain(a.r), plain(b.r), `${name}, chunks of ${chunk}`);
      if (name === 'plain') assert.ok(a.taken >= 2900, `byte path took ${a.taken} lines`);
    }
  }
});

test('CRLF pieces take the byte path; a lone CR, a NUL or a non-ASCII byte sends its piece the string way, with identical results', () => {
  const rows: string[] = ['step,loss,lr'];
  for (let k = 0; k < 2000; k++) rows.push(`${k},${(2 + 8 / Math.sqrt(k + 1)).toFixed(5)},${(3e-4).toFixed(6)}`);
  const variants: [string, string][] = [
    ['crlf', rows.join('\r\n') + '\r\n'],
    ['crlf + a lone CR', rows.join('\r\n').replace('\r\n500,', '\r\n500\r,') + '\r\n'],
    ['crlf + an LF-only line', rows.join('\r\n').replace('\r\n700,', '\n700,') + '\r\n'],
    ['crlf + empty CRLF lines', rows.join('\r\n').replace('\r\n900,', '\r\n\r\n\r\n900,') + '\r\n'],
    ['crlf + NUL', rows.join('\r\n').replace('\r\n1100,', '\r\n\u0000\r\n1100,') + '\r\n'],
    ['crlf + non-ASCII', rows.join('\r\n').replace('\r\n1300,', '\r\nétape\r\n1300,') + '\r\n'],
    ['no final newline', rows.join('\r\n') + '\r'],
  ];
  for (const [name, text] of variants) {
    for (const chunk of [1 << 20, 4096, 333]) {
      for (const maxLine of [undefined, 20]) {
        const bytes = Buffer.from(text);
        const run = (withBytes: boolean) => parseWith(csvReader, '/w/t.csv', bytes, withBytes, chunk, maxLine);
        const a = run(true);
        const b = run(false);
        assert.deepStrictEqual(plain(a.r), plain(b.r), `${name}, chunks of ${chunk}, max line ${maxLine}`);
        if (chunk === 4096 && maxLine === undefined)
          assert.ok(a.taken > 1000, `${name}: byte path took ${a.taken} rows`);
      }
    }
  }
});
