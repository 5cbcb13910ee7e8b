/**
 * The byte paths of the Hugging Face stdout, fairseq, LitGPT and torchtitan readers (`LineParser.asciiLine`)
 * must be invisible, as in byte-path.test.ts: each log is parsed through the reader as it is (the byte path
 * takes the lines it can) and through the same reader with `asciiLine` removed (the string path, the
 * reference), in several chunkings, and the two results must be identical — series, points, metadata and
 * diagnostics. Logs: the real ones of `test/fixtures/real/dev` and `../shared/data/logs` in these formats, the
 * format fixtures of test/fixtures/logs, generated logs in each format's canonical shape, hand-made edge cases,
 * and random mutations of all of them. Each test also checks that the byte path really took the canonical
 * metric lines (one that declined everything would pass the comparison and be useless). Speed: bench/ rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseWith, plain, points } from './bytePathKit';
import type { TextReader } from '../../../src/ingest/reader';
import { hfStdoutReader } from '../../../src/ingest/readers/hfStdout';
import { fairseqReader } from '../../../src/ingest/readers/fairseq';
import { litgptReader } from '../../../src/ingest/readers/litgpt';
import { torchtitanReader } from '../../../src/ingest/readers/torchtitan';
import { csvReader } from '../../../src/ingest/readers/csv';
import { REPO, SHARED_DATA } from '../helpers/paths';

const parse = parseWith;

/** Random edits of the lines (insert / delete / replace a character from `alphabet`), deterministic. */
function mutate(text: string, seed: number, alphabet: readonly string[], maxLines = 20_000): string {
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const lines = text.split('\n').slice(0, maxLines);
  return lines
    .map((l) => {
      const edits = Math.floor(rnd() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * (l.length + 1));
        const op = rnd();
        const ch = alphabet[Math.floor(rnd() * alphabet.length)];
        if (op < 0.4) l = l.slice(0, at) + ch + l.slice(at);
        else if (op < 0.7) l = l.slice(0, at) + l.slice(at + 1);
        else l = l.slice(0, at) + ch + l.slice(at + 1);
      }
      return l;
    })
    .join('\n');
}

/** Same result with and without the byte path, in every chunking; returns the lines the byte path took. */
function same(reader: TextReader, name: string, bytes: Buffer): number {
  const file = `/w/${name}`;
  const ref = parse(reader, file, bytes, false, 1 << 20);
  let taken = 0;
  for (const chunk of [1 << 20, 4096, 61]) {
    const got = parse(reader, file, bytes, true, chunk);
    assert.deepStrictEqual(plain(got.r), plain(ref.r), `${name}: chunks of ${chunk}`);
    if (chunk === 4096) taken = got.taken;
  }
  return taken;
}

/** Lines of `text` matching `metric`, offered alone to a fresh parser's byte path (after the lines before them). */
function takenAlone(reader: TextReader, text: string, metric: RegExp): { metric: number; took: number } {
  const p = reader.create('/w/alone.log');
  let m = 0;
  let took = 0;
  text.split(/\r?\n/).forEach((l, k) => {
    if (!/^[\x01-\x0c\x0e-\x7f]*$/.test(l)) return p.line(l, k + 1);
    const b = Buffer.from(l + '\n', 'latin1');
    if (metric.test(l)) {
      m++;
      if (p.asciiLine!(b, 0, b.length - 1, k + 1) >= 0) return void took++;
    }
    p.line(l, k + 1);
  });
  return { metric: m, took };
}

function lcg(seed: number) {
  return () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296;
}

const DEV = path.join(REPO, 'test', 'fixtures', 'real', 'dev');
/** A torchtitan line's `[titan] <timestamp>` head. */
const T = '[titan] 2025-01-10 09:00:20,001';
const FIX = path.join(REPO, 'test', 'fixtures', 'logs');

interface Case {
  reader: TextReader;
  /** Real logs and fixtures in this format (absolute paths). */
  files: string[];
  /** A generated log in the format's canonical shape. */
  generate: () => string;
  /** Edge cases: lines near the canonical shape. */
  edge: string[];
  /** The canonical metric lines, all of which the byte path must take. */
  metric: RegExp;
  alphabet: string[];
}

const CASES: Case[] = [
  {
    reader: hfStdoutReader,
    files: [
      path.join(SHARED_DATA, 'logs/hf-trainer-stdout/llama_sft_train_log.txt'),
      ...['hf-autotrain-wandb', 'hf-trainer-logging-dict', 'hf-trainer-stdout-colab', 'hf-trainer-stdout-cr'].flatMap(
        (d) => fs.readdirSync(path.join(DEV, d)).map((f) => path.join(DEV, d, f)),
      ),
    ],
    generate: () => {
      const rnd = lcg(5);
      const out = ["{'train_batch_size': 8, 'seed': 42}"];
      for (let k = 1; k <= 3000; k++) {
        const loss = 2 + 8 / Math.sqrt(k) + 0.05 * rnd();
        out.push(
          k % 2
            ? `{'loss': ${loss.toFixed(4)}, 'grad_norm': ${(0.5 + rnd()).toString()}, 'learning_rate': ${(3e-4 * (1 - k / 3000)).toExponential()}, 'epoch': ${(k / 1000).toString()}}`
            : `{'loss': '${loss.toFixed(4)}', 'grad_norm': '${(0.5 + rnd()).toFixed(4)}', 'learning_rate': '${(3e-4 * (1 - k / 3000)).toExponential(3)}', 'epoch': '${(k / 1000).toFixed(5)}'}`,
        );
        if (k % 500 === 0)
          out.push(
            `{'eval_loss': ${(loss + 0.1).toFixed(4)}, 'eval_runtime': 12.5, 'eval_samples_per_second': 80.1, 'epoch': ${k / 1000}}`,
          );
      }
      out.push("{'train_runtime': 522.4127, 'train_samples_per_second': 17.151, 'train_loss': 3.1, 'epoch': 3.0}");
      return out.join('\n') + '\n';
    },
    edge: [
      "{'loss': 2.5, 'learning_rate': 1e-05, 'epoch': 0.1}",
      "{'loss': 2.4, 'step': 20, 'epoch': 0.2}",
      "{'loss': 2.3, 'global_step': 30, 'epoch': 0.3}",
      "{'loss': 2.2, 'step': 40, 'global_step': 400}",
      "{'loss': nan, 'grad_norm': inf, 'epoch': 0.5}",
      "{'loss': 'nan', 'epoch': '0.6'}",
      "{'loss': 2.1, 'loss': 2.0, 'epoch': 0.7}",
      "{'loss': 2.1,'epoch': 0.7}",
      "{'loss':  2.1, 'epoch': 0.7}",
      "{'loss': 2.1 , 'epoch': 0.7}",
      "{'loss': ' 2.1', 'epoch': ' 0.7 '}",
      "{'loss': 2.1, 'name': 'abc', 'epoch': 0.7}",
      "{'loss': 2.1, 'x': None, 'y': True}",
      "{'loss': 2.1, 'epoch': 0.7} ",
      "{'loss': 2.1, 'epoch': 0.7}}",
      "  {'loss': 2.1, 'epoch': 0.8}",
      "{'eval_loss': 2.6, 'epoch': 0.8}",
      "{'eval_loss': 2.6, 'step': 80}",
      "{'grad_norm': 1.5, 'epoch': 0.9}",
      "{'loss': 1e400, 'x': -0, 'y': +.5, 'z': 5., 'w': 1.5e-3, 'v': 12345678901234567890}",
      "{'loss': 2.1, 'lr': " + '1'.repeat(64) + '}',
      "{'loss': 2.1, 'lr': " + '1'.repeat(65) + '}',
      "{'loss': 2.1, 'lr': '" + '1'.repeat(64) + "'}",
      "{'loss': 2.1, 'lr': '" + '1'.repeat(65) + "'}",
      "{'loss': 2.1, 'a\\'b': 3}",
      "{'loss': 2.1, '': 3}",
      "{'loss': 2.1, 'constructor': 3, '__proto__': 4, 'toString': 5}",
      "{'loss': 2.1, 'k': 1,000}",
      "{'loss': 2.1, 'k': 45%}",
      "{'loss': 2.1, 'k': 1e}",
      "{'train_runtime': 10.0, 'train_loss': 2.0, 'epoch': 1.0}",
      '{}',
      "{'",
    ],
    metric: /^\{'(?:loss|eval_loss)': '?[\d.]+'?(?:, '[a-z_]+': '?[\d.e-]+'?)*\}$/,
    alphabet: ['0', '1', '9', '.', 'e', '-', '+', ' ', ':', ',', "'", '"', '{', '}', 'n', 'a', '_', '\\', '\t'],
  },
  {
    reader: fairseqReader,
    files: [path.join(FIX, 'fairseq/train_json.log'), path.join(FIX, 'fairseq/train_simple.log')],
    generate: () => {
      const rnd = lcg(7);
      const out = [
        "2021-03-01 10:00:00 | INFO | fairseq_cli.train | Namespace(arch='transformer_lm', max_update=50000)",
        '2021-03-01 10:00:05 | INFO | fairseq.trainer | begin training epoch 1',
      ];
      for (let k = 1; k <= 3000; k++) {
        const loss = 3 + 8 / Math.sqrt(k) + 0.05 * rnd();
        out.push(
          `2021-03-01 10:${String(k % 60).padStart(2, '0')}:11 | INFO | train_inner | {"epoch": ${1 + Math.floor(k / 1000)}, "update": ${(k / 1000).toFixed(3)}, "loss": "${loss.toFixed(3)}", "ppl": "${(2 ** loss).toFixed(1)}", "wps": "${(20000 + 2000 * rnd()).toFixed(1)}", "ups": "0.67", "wpb": "32768", "bsz": "64", "num_updates": "${k * 100}", "lr": "${(5e-4 * Math.min(1, k / 400)).toPrecision(4)}", "gnorm": "${(1 + rnd()).toFixed(3)}", "loss_scale": "8", "train_wall": "148", "gb_free": "10.1", "wall": "${k * 150}"}`,
        );
        if (k % 300 === 0)
          out.push(
            `2021-03-01 10:07:41 | INFO | valid | {"epoch": 1, "valid_loss": "${(loss + 0.1).toFixed(3)}", "valid_ppl": "730.1", "valid_wps": "61203.5", "valid_wpb": "2047.9", "valid_bsz": "4", "valid_num_updates": "${k * 100}"}`,
          );
      }
      return out.join('\n') + '\n';
    },
    edge: [
      '| INFO | train_inner | {"epoch": 1, "loss": 9.5, "num_updates": 100}',
      '| INFO | train_inner | {"epoch": 1, "loss": "9.5", "num_updates": "200", "lr": 1e-4}',
      '| INFO | train_inner | {"epoch":1,"loss":9.5,"num_updates":300}',
      '| INFO | train_inner | {"epoch": 1, "loss":   9.5, "num_updates": 400}',
      '| INFO | train_inner | {"loss": "nan", "num_updates": "500"}',
      '| INFO | train_inner | {"loss": 9.5, "loss": 9.6, "num_updates": "600"}',
      '| INFO | train_inner | {"loss": 9.5, "name": "x", "num_updates": "700"}',
      '| INFO | train_inner | {"loss": 9.5}',
      '| INFO | train_inner | {"loss": 9.5, "num_updates": "800"} ',
      '| INFO | train_inner | {"loss": 9.5, "num_updates": "900"}}',
      '| INFO | valid | {"valid_loss": 7.5, "valid_num_updates": 900}',
      '| INFO | valid | {"valid_loss": 7.5, "loss": 7.4, "num_updates": 1000, "valid_num_updates": 900}',
      '| INFO | valid | | train_inner | {"loss": 7.5, "num_updates": 1100}',
      '{"a": 1} | train_inner | {"loss": 7.5, "num_updates": 1200}',
      '| INFO | train_inner | x {"loss": 7.5, "num_updates": 1300}',
      '| INFO | train_inner | {"lo|ss": 7.5, "num_updates": 1400}',
      '| INFO | train_inner | {"lo\\"ss": 7.5, "num_updates": 1500}',
      '| INFO | train_inner | {"loss": 1e400, "x": -0, "y": +.5, "z": 5., "num_updates": 1600}',
      '| INFO | train_inner | {"loss": ' + '1'.repeat(32) + ', "num_updates": 1700}',
      '| INFO | train_inner | {"loss": ' + '1'.repeat(33) + ', "num_updates": 1800}',
      '| INFO | train_inner | {"loss": "' + '1'.repeat(64) + '", "num_updates": 1900}',
      '| INFO | train_inner | {"loss": "' + '1'.repeat(65) + '", "num_updates": 2000}',
      '| INFO | train_inner | {"loss": "1,000", "k": "45%", "num_updates": 2100}',
      '| INFO | train_inner | {"constructor": 1, "__proto__": 2, "loss": 3, "num_updates": 2200}',
      '| INFO | train | {"loss": 3, "num_updates": 2300}',
      '| INFO | train_inner | epoch 001:    100 / 1000 loss=9.5, nll_loss=9.1, num_updates=2400, lr=0.0005',
      '| epoch 001 | loss 8.944 | ppl 492.43 | num_updates 3000 | lr 0.0005',
      // the mixture-of-experts keys of published fairseq MoE output
      '2024-02-29 08:00:28 | INFO | train_inner | {"epoch": 1, "update": 0.012, "loss": "21.229", "moe_gate_loss": "21.6108", "overflow_expert1": "18.819", "overflow_expert2": "58.792", "entropy_gating": "1.964", "expert1_balance_top": "65.29", "num_updates": "2500", "lr": "2e-05"}',
    ],
    metric: /\| (?:train_inner|valid) \| \{("[a-z_]+": "?[\d.e-]+"?(, )?)+\}$/,
    alphabet: ['0', '1', '9', '.', 'e', '-', '+', ' ', ':', ',', '"', '{', '}', '|', 'n', 'a', '_', '\\', '\t'],
  },
  {
    reader: litgptReader,
    files: [path.join(FIX, 'litgpt/pretrain.log')],
    generate: () => {
      const rnd = lcg(9);
      const out = ['Seed set to 42', 'Total parameters: 1,100,048,384'];
      for (let k = 1; k <= 3000; k++) {
        const loss = 2 + 8 / Math.sqrt(k) + 0.05 * rnd();
        const t = (400 + 20 * rnd()).toFixed(2);
        out.push(
          k % 3
            ? `Epoch 1 | iter ${k * 4} step ${k} | loss train: ${loss.toFixed(3)}, val: ${k < 500 ? 'n/a' : '7.998'} | iter time: ${t} ms (step) remaining time: 12:31:02`
            : `iter ${k * 4} step ${k}: loss ${loss.toFixed(4)}, iter time: ${t}ms (optimizer.step)`,
        );
        if (k % 500 === 0) out.push(`iter ${k * 4}: val loss ${(loss + 0.1).toFixed(4)}, val time: 8123.40 ms`);
      }
      return out.join('\n') + '\n';
    },
    edge: [
      'Epoch 1 | iter 10 step 5 | loss train: 9.1, val: n/a | iter time: 1.5 ms (step)',
      'Epoch 1 | iter 11 step 6 | loss train: 9.1, val: n/a',
      'Epoch 1 | iter 12 step 7 | loss train: nan, val: n/a | iter time: 1.5 ms',
      'Epoch 1 | iter 13 step 8 | loss train: 9.1% | iter time: 1.5 ms',
      'Epoch 1 | iter 14 step 9 | loss train:  9.1 | iter time: 1.5 ms',
      'Epoch 1 | iter 15 step 10 | loss 9.1 | iter time: 1.5.3 ms',
      'Epoch 1 | iter 16 step 11 | loss 9.1 | iter time: 1e3 ms',
      'Epoch 1 | iter 17 step 12 | loss 9.1 | iter time: .5ms',
      'Epoch 1 | iter 18 step 13 | loss 9.1 | iter time: 5.ms',
      'Epoch 1 | iter 19 step 14 | loss 9.1 | iter time: 5 s | iter time: 6 ms',
      'Epoch 1 | iter 20 step 15 | loss 9.1 | iter time: -5 ms',
      'iter time: 5 ms | iter 21 step 16: loss 9.1',
      'iter x iter 22 step 17: loss 9.1',
      'iter 23 step 18:loss 9.1',
      'iter 24 step 19: loss train:9.1',
      'iter 25 step 20: loss 9.1e-1,',
      'iter 26 step 21: loss 9.1\tx',
      'iter 27 step 12345678901234567: loss 9.1',
      'iter 28 step 22: loss 1e400, iter time: 3 ms',
      'iter 29 step 23: loss ' + '1'.repeat(64) + ' iter time: 3 ms',
      'iter 30 step 24: loss ' + '1'.repeat(65),
      'iter 31: val loss 7.5, val time: 8123.40 ms',
      'subiter 32 step 25: loss 3',
    ],
    metric: /^(?:Epoch \d+ \| )?iter \d+ step \d+(?::| \|) loss (?:train: )?[\d.]+/,
    alphabet: ['0', '1', '9', '.', 'e', '-', '+', ' ', ':', ',', '|', 'n', 'a', 'm', 's', '\t', 'i', 't'],
  },
  {
    reader: torchtitanReader,
    files: [path.join(FIX, 'torchtitan/train.log')],
    generate: () => {
      const rnd = lcg(11);
      const E = '\x1b';
      const out = [
        '[titan] 2025-01-10 09:00:00,100 - root - INFO - Starting job: Llama 3 8B training',
        '[titan] 2025-01-10 09:00:03,600 - root - INFO - Training starts at step 1, total steps 3000 (warmup 200)',
      ];
      for (let k = 1; k <= 3000; k++) {
        const loss = 2 + 8 / Math.sqrt(k) + 0.05 * rnd();
        const ts = `2025-01-10 ${String(9 + Math.floor(k / 3600)).padStart(2, '0')}:${String(Math.floor(k / 60) % 60).padStart(2, '0')}:${String(k % 60).padStart(2, '0')},${String(Math.floor(1000 * rnd())).padStart(3, '0')}`;
        const tps = (6000 + Math.floor(900 * rnd())).toLocaleString('en');
        out.push(
          k % 2
            ? `[titan] ${ts} - root - INFO - ${E}[31mstep: ${String(k).padStart(2)}  ${E}[32mloss: ${loss.toFixed(4).padStart(8)}  ${E}[38;2;180;60;0mgrad_norm: ${(1 + rnd()).toFixed(4).padStart(7)}  ${E}[33mmemory: 53.40GiB(67.52%)  ${E}[34mtps: ${tps}  ${E}[36mtflops: ${(370 + 10 * rnd()).toFixed(2)}  ${E}[35mmfu: ${(38 + rnd()).toFixed(2)}%${E}[39m`
            : `[rank0]:[titan] ${ts} - root - INFO - step: ${k}  loss: ${loss.toFixed(5)}  grad_norm: ${(1 + rnd()).toFixed(4)}  memory: 53.40GiB(67.52%)  tps: ${tps}  tflops: ${(370 + 10 * rnd()).toFixed(2)}  mfu: ${(38 + rnd()).toFixed(2)}%`,
        );
        if (k % 500 === 0)
          out.push(
            `[titan] ${ts} - root - INFO - ${E}[33mvalidate step: ${k}  ${E}[32mloss:  ${(loss + 0.1).toFixed(4)}  ${E}[33mmemory: 55.10GiB(69.67%)${E}[39m`,
          );
      }
      return out.join('\n') + '\n';
    },
    edge: [
      '[titan] 2025-01-10 09:00:20,001 - root - INFO - step:  1  loss: 12.2041  grad_norm:  4.1230',
      '[titan] 2025-01-10 09:00:20 - root - INFO - step:  2  loss: 12.2041',
      '[titan] 2025-01-10T09:00:20.1234567 - root - INFO - step:  3  loss: 12.2041',
      '[titan] 2025-13-45 09:00:20,001 - root - INFO - step:  4  loss: 12.2041',
      '[titan] 2025-01-10 09:00:2 - step:  5  loss: 12.2041',
      'step:  6  loss: nan  grad_norm: inf',
      'step:  7  loss: 9.5  memory: nan  tps: 1,2345  mfu: 5%',
      'step:  8  loss: 9.5  tps: 1,234,567.5  tflops: -0  lr: +.5e-3',
      'step:  9  loss: 9.5  constructor: 3',
      'step: 10  loss: 9.5  __proto__: 3',
      'step: 11  toString: 3  loss:\t9.5',
      'step: 12  loss:9.5  grad_norm: 1',
      'step: 13  xloss: 9.5  grad_norm:  1e',
      'step: 14  loss: ' + '1'.repeat(64) + '  mfu: ' + '1'.repeat(65),
      'step: 15  loss: 9.5,5  mfu: 1,000,',
      'substep: 16  loss: 9.5',
      'validate step: 17  loss: 7.5',
      'validate  step: 18  loss: 7.5',
      'step:x  validate step: 19  loss: 7.5',
      'step: 123456789012345678  loss: 7.5',
      'step: 20  memory: 1GiB',
      '\x1b[31mst\x1b[0mep: 21  loss: 7.5',
      '\x1b[31mstep: 22 \x1b loss: 7.5 \x1b[99 grad_norm: 2 \x1b[;?9m',
      '\x1b[31mstep: 23  loss: 7.5\x1b',
      '[titan] \x1b[1m2025-01-10 09:00:20,001 - step: 24  loss: 7.5',
      // shapes seen in published torchtitan output (no grad_norm; a percentage after the step; other keys)
      '[rank0]:[titan] 2025-06-04 08:51:48,074 - root - INFO - step: 25  loss: 12.2254  memory: 27.34GiB(28.78%)  tps: 375  tflops: 21.73  mfu: 2.20%',
      '[rank0]:2025-04-01 00:25:47,084 - root - INFO - step: 640/644 = 99.3789%  loss:  6.2116  memory: 87.04GiB(93.48%)  tps: 52,142  mfu: 3.09%',
      '[rank0]:2024-12-13 17:29:23,398 - root - INFO - step: 30  loss:  1.7148  memory: 14.91GiB(18.82%)  wps: 48,655  mfu: 13.87% it/s: 0.37 im/s: 5.94',
      '0: [titan] 2026-03-25 13:37:04,721 - root - INFO - step: 90  loss: 3.2  grad_norm: 18.2500',
      // `[titan] ` first: the one-pass raw read, colour codes where cutting them joins tokens or not
      `${T} - root - INFO - step: 100  loss:  7.5  grad_norm:  1.5  memory: 53.40GiB(67.52%)  tps: 6,123  tflops: 372.11  mfu: 38.12%`,
      `${T} - root - INFO - validate \x1b[33mstep: 101  loss: 7.5`,
      `${T} - root - INFO - \x1b[31mvalidate \x1b[1mstep: 102  loss: 7.5`,
      `${T} - root - INFO - vali \x1b[33mdate step: 103  loss: 7.5`,
      `${T} - root - INFO - valid\x1b[33mate step: 104  loss: 7.5`,
      `${T} - root - INFO - \x1b[31mstep: \x1b[0m105  loss: 7.5`,
      `${T} - root - INFO - \x1b[31mstep:\x1b[0m 106  loss: 7.5`,
      `${T} - root - INFO - step: 107  loss: \x1b[32mnan  grad_norm: 1`,
      `${T} - root - INFO - step: 108  loss: 7.5\x1b[0m5  grad_norm: 1`,
      `${T} - root - INFO - step: 109  lo\x1b[0mss: 7.5  mfu: 3%`,
      `${T} - root - INFO - step: 110  loss: 7.5  \x1b[0m\x1b[1mgrad_norm: 2  mfu: 3%\x1b[0m`,
      `${T} - root - INFO - step: 111  loss: 7.5  mfu: 3%\x1b[0mtps: 5`,
      `${T} - root - INFO - step: 112  loss: 7.5  \x1b[0m`,
      `${T} - root - INFO - step: 113  loss: 7.5  \x1b[0m 8  mfu: 3`,
      `${T} - root - INFO - step: 114  __proto__: 7.5  loss: 1`,
      `${T} - root - INFO - step: 115  grad_xorm: 7.5  loss: 1  constructor: 2`,
      `${T} - root - INFO - step: 116  \x1b[xloss: 7.5`,
      `${T} - root - INFO - step: 117  tps: 1,234  loss: 7.5 tflops: 1e3  lr: 2,5`,
      `${T} - root - INFO - step: 118  loss:\x1b[0m  7.5  mfu: 3`,
      `${T} - root - INFO - step: 119  loss: 7.5  mfu: 3%\x1b[0m9`,
      `${T} - root - INFO - step: 120  loss: inf  mfu: 3`,
      `${T} - root - INFO - step: 121  tflops: nan  loss: 2`,
      `${T} - root - INFO - x\x1b[0mstep: 122  loss: 2`,
      `${T} - root - INFO - step: 123  loss: 2  step: 124  loss: 3`,
      `${T} - root - INFO - step: 130  tpx: 5  mfx: 6  lx: 7  losx: 8  tflopx: 9  grad_norx: 1  __proto_x: 2  loss: 1`,
      `${T} - root - INFO - step: 131  lr: 5  mfu: 6  tps: 7  tflops: 8  grad_norm: 9  loss: 1`,
      '[titan] 2025-01-10 09:00:20,0\x1b[0m01 - root - INFO - step: 125  loss: 7.5',
      '[titan] 2025-01-10 09:00:20,001\x1b[0m7 - step: 126  loss: 7.5',
      '[titan] 2025-01-10 09:00:20\x1b[0m,001 - step: 127  loss: 7.5',
      '[titan] 2025-01-10 09:00:20 \x1b[0mvalidate step: 128  loss: 7.5',
      '[titan] 2025-01-10 09:00:20,001 step: 129  loss: ' + '1'.repeat(64),
      '[titan] 2025-01-10 09:00:20,001 step: 1234567890123456  loss: 1',
    ],
    metric: /step:\s+\d+.*loss:\s+[\d.]+/,
    alphabet: ['0', '1', '9', '.', 'e', '-', '+', ' ', ':', ',', '[', ']', '\x1b', 'm', 'n', 'a', '_', '%', '\t', 's'],
  },
];

for (const c of CASES) {
  const f = c.reader.format;
  test(`${f} byte path = string path on its real logs and fixtures, in any chunking`, () => {
    let total = 0;
    for (const file of c.files) {
      const bytes = fs.readFileSync(file);
      total += points(parse(c.reader, file, bytes, false, 1 << 20).r);
      same(c.reader, path.basename(file), bytes);
      const text = bytes.toString('utf8');
      const a = takenAlone(c.reader, text, c.metric);
      assert.equal(a.took, a.metric, `${file}: the byte path took ${a.took} of ${a.metric} canonical metric lines`);
      for (const seed of [1, 2, 3])
        same(c.reader, `${path.basename(file)}~${seed}`, Buffer.from(mutate(text, seed, c.alphabet)));
    }
    assert.ok(total > 0, 'the logs have points');
  });

  test(`${f} byte path = string path on a generated log, edge cases and random mutations`, () => {
    const text = c.generate();
    const lines = text.split('\n').length - 1;
    const taken = same(c.reader, `${f}.log`, Buffer.from(text));
    assert.ok(taken >= 0.9 * lines, `${f}: the byte path took ${taken} of ${lines} lines`);
    const a = takenAlone(c.reader, text, c.metric);
    assert.ok(a.metric > 2000 && a.took === a.metric, `${f}: took ${a.took} of ${a.metric} metric lines alone`);
    const edge = c.edge.join('\n') + '\n';
    same(c.reader, `${f}-edge.log`, Buffer.from(edge));
    // the edge cases one by one after a stretch of canonical lines (so the feeder keeps its byte path on)
    for (const l of c.edge)
      same(c.reader, `${f}-edge1.log`, Buffer.from(text.split('\n').slice(0, 200).join('\n') + '\n' + l + '\n'));
    let mTaken = 0;
    for (const seed of [1, 2, 3, 4]) {
      const m = mutate(text + edge, seed, c.alphabet);
      mTaken += same(c.reader, `${f}~${seed}.log`, Buffer.from(m));
    }
    assert.ok(mTaken > 0, 'some mutated lines still take the byte path');
  });
}

test('csv byte path (its inline digits[.digits] cell) = string path on long, short and odd cells', () => {
  const rows = ['step,loss,lr,x'];
  const cells = [
    '123456789012345',
    '1234567890123456',
    '12345678901234567',
    '0.12345678901234',
    '0.123456789012345',
    '1.2345678901234567',
    '5.',
    '.5',
    '0',
    '00.50',
    '1e5',
    '1.5e-3',
    '-2.5',
    '+2',
    '3 ',
    '4.0 ',
    '9007199254740993',
    '0.1',
    '7.' + '0'.repeat(13),
  ];
  cells.forEach((c, k) => rows.push(`${k},${c},${cells[(k + 3) % cells.length]},${c}`));
  for (let k = 0; k < 300; k++) rows.push(`${100 + k},${(2 + 1 / (k + 1)).toFixed(6)},0.000300000,${k}`);
  const text = rows.join('\n') + '\n';
  const taken = same(csvReader, 'odd.csv', Buffer.from(text));
  assert.ok(taken >= 300, `byte path took ${taken} rows`);
  same(csvReader, 'odd-crlf.csv', Buffer.from(rows.join('\r\n') + '\r\n'));
});
