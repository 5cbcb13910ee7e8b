// A mixed, realistic log for the general reader's throughput row (bench/run.mjs, `ingest`): logger prefixes
// (timestamps, levels), free-form `key=value | key value` train lines, evaluation lines, tqdm progress redraws
// (`\r`, Unicode blocks), warnings and a traceback-like preamble; no trainer-specific reader claims it.
// Usage: node bench/mixedLog.mjs FILE MB  (or import { writeMixedLog }).
import * as fs from 'node:fs';

export function writeMixedLog(file, bytes) {
  const fd = fs.openSync(file, 'w');
  let s = 7;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
  let head = '';
  for (let k = 0; k < 2000; k++)
    head += `/usr/lib/python3/site-packages/torch/functional.py:${500 + k}: UserWarning: torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.\n`;
  fs.writeSync(fd, head);
  let written = Buffer.byteLength(head),
    step = 0,
    lossLines = 0;
  const ts = (t) =>
    `2026-03-01 ${String(10 + (((t / 3600) | 0) % 14)).padStart(2, '0')}:${String(((t / 60) | 0) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}.${String((t * 7919) % 1000000).padStart(6, '0')}`;
  while (written < bytes) {
    let chunk = '';
    for (let k = 0; k < 20000; k++, step++) {
      const loss = 2.9 + 8 * Math.pow(step / 100 + 1, -0.5) + 0.05 * (rnd() - 0.5);
      chunk += `[${ts(step)}] INFO step=${step} | loss=${loss.toFixed(4)} | lr=${(3e-4 * (1 - step / 1e8)).toExponential(3)} | grad_norm ${(0.5 + rnd()).toFixed(3)} | tok/s ${(120000 + 5000 * rnd()) | 0}\n`;
      lossLines++;
      if (step % 10 === 0)
        chunk += `train:  ${step % 100}%|${'█'.repeat((step % 100) / 10)}${' '.repeat(10 - (step % 100) / 10)}| ${step % 1000}/1000 [00:${String(step % 60).padStart(2, '0')}<00:30, 33.3it/s]\r`;
      if (step % 250 === 0)
        chunk += `${ts(step)},123 - INFO - eval step ${step}: val_loss ${(loss + 0.02).toFixed(4)}, val_ppl ${Math.exp(loss + 0.02).toFixed(2)}\n`;
      if (step % 97 === 0) chunk += `WARNING: dataloader worker ${step % 8} is slow (${(rnd() * 100).toFixed(1)} s)\n`;
    }
    fs.writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
  }
  fs.closeSync(fd);
  return { bytes: fs.statSync(file).size, lossLines };
}

if (process.argv[1] && process.argv[1].endsWith('mixedLog.mjs')) {
  const r = writeMixedLog(process.argv[2], Number(process.argv[3] ?? 200) * 2 ** 20);
  console.log(JSON.stringify(r));
}

// ── One file per line-oriented format for the ingest rows of bench/run.mjs (each against awk or jq pulling the
// loss from the same file). Deterministic (an LCG), loss curves of the usual shape. Each returns { bytes, lines }.
function lcg(seed) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
function writeLines(file, bytes, head, lineAt) {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, head);
  let written = Buffer.byteLength(head),
    k = 0;
  while (written < bytes) {
    let chunk = '';
    for (let j = 0; j < 20000; j++, k++) chunk += lineAt(k);
    fs.writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
  }
  fs.closeSync(fd);
  return { bytes: fs.statSync(file).size, lines: k };
}
const lossAt = (k, rnd) => 2.9 + 8 * Math.pow(k / 100 + 1, -0.5) + 0.05 * (rnd() - 0.5);

/** Megatron-LM stdout: the args preamble, then ` iteration N/ M | … | lm loss: X | …` lines. */
export function writeMegatronLog(file, bytes) {
  const rnd = lcg(11);
  const head =
    '------------------------ arguments ------------------------\n  num_layers ...................................... 24\n  hidden_size ..................................... 1024\n  train_iters ..................................... 5000000\n-------------------- end of arguments ---------------------\n> building GPT2BPETokenizer tokenizer ...\n';
  return writeLines(file, bytes, head, (k) => {
    const it = k + 1;
    return ` iteration ${String(it).padStart(8)}/ 5000000 | consumed samples: ${String(it * 256).padStart(12)} | elapsed time per iteration (ms): ${(400 + 40 * rnd()).toFixed(1)} | learning rate: ${(3e-4 * (1 - it / 5e6)).toExponential(3).toUpperCase().replace('E-', 'E-0')} | global batch size:   256 | lm loss: ${lossAt(
      k,
      rnd,
    )
      .toExponential(6)
      .toUpperCase()
      .replace(
        /E([+-])(\d)$/,
        'E$10$2',
      )} | loss scale: 65536.0 | grad norm: ${(0.5 + rnd()).toFixed(3)} | number of skipped iterations:   0 | number of nan iterations:   0 |\n`;
  });
}

/** JSON Lines of flat metric dicts, as `json.dumps` writes them. */
export function writeJsonlLog(file, bytes) {
  const rnd = lcg(13);
  return writeLines(
    file,
    bytes,
    '',
    (k) =>
      `{"step": ${k}, "loss": ${lossAt(k, rnd).toFixed(5)}, "lr": ${(3e-4 * (1 - k / 1e8)).toPrecision(6)}, "grad_norm": ${(0.5 + rnd()).toFixed(4)}, "tokens_per_sec": ${(120000 + 5000 * rnd()) | 0}}\n`,
  );
}

/** A CSV table `step,loss,lr,grad_norm,tokens_per_sec` (a header, then one row per step). */
export function writeCsvLog(file, bytes) {
  const rnd = lcg(17);
  return writeLines(
    file,
    bytes,
    'step,loss,lr,grad_norm,tokens_per_sec\n',
    (k) =>
      `${k},${lossAt(k, rnd).toFixed(5)},${(3e-4 * (1 - k / 1e8)).toPrecision(6)},${(0.5 + rnd()).toFixed(4)},${(120000 + 5000 * rnd()) | 0}\n`,
  );
}

/** llm.c stdout: `s:N trl:X lr:Y norm:Z` train lines, a `s:N tel:X` validation line every 250 steps. */
export function writeLlmcLog(file, bytes) {
  const rnd = lcg(19);
  return writeLines(
    file,
    bytes,
    '',
    (k) =>
      (k % 250 === 0 ? `s:${k} tel:${(lossAt(k, rnd) + 0.02).toFixed(4)}\n` : '') +
      `s:${k} trl:${lossAt(k, rnd).toFixed(4)} lr:${(3e-4 * (1 - k / 1e8)).toFixed(6)} norm:${(0.5 + rnd()).toFixed(2)}\n`,
  );
}

/** Hugging Face Trainer stdout: the `Trainer.log` dict reprs, an eval dict every 500 logging steps. */
export function writeHfStdoutLog(file, bytes) {
  const rnd = lcg(23);
  return writeLines(
    file,
    bytes,
    '***** Running training *****\n  Num examples = 1,000,000\n',
    (k) =>
      `{'loss': ${lossAt(k, rnd).toFixed(4)}, 'grad_norm': ${(0.5 + rnd()).toFixed(6)}, 'learning_rate': ${(3e-4 * (1 - k / 1e8)).toExponential(6)}, 'epoch': ${(k / 1e4).toFixed(4)}}\n` +
      (k % 500 === 499
        ? `{'eval_loss': ${(lossAt(k, rnd) + 0.02).toFixed(4)}, 'eval_runtime': 12.5, 'eval_samples_per_second': 80.1, 'epoch': ${(k / 1e4).toFixed(4)}}\n`
        : ''),
  );
}

/** fairseq json progress: `… | INFO | train_inner | {"epoch": …, "loss": "X", …, "num_updates": "N", …}`. */
export function writeFairseqLog(file, bytes) {
  const rnd = lcg(29);
  return writeLines(
    file,
    bytes,
    "2021-03-01 10:00:00 | INFO | fairseq_cli.train | Namespace(arch='transformer_lm', max_update=50000)\n",
    (k) => {
      const loss = lossAt(k, rnd);
      return `2021-03-01 10:02:11 | INFO | train_inner | {"epoch": 1, "update": ${(k / 1e4).toFixed(3)}, "loss": "${loss.toFixed(3)}", "ppl": "${(2 ** loss).toFixed(2)}", "wps": "${(20000 + 2000 * rnd()).toFixed(1)}", "ups": "0.67", "wpb": "32768", "bsz": "64", "num_updates": "${k + 1}", "lr": "${(5e-4 * (1 - k / 1e8)).toPrecision(5)}", "gnorm": "${(1 + rnd()).toFixed(3)}", "loss_scale": "8", "train_wall": "148", "gb_free": "10.1", "wall": "${k * 2}"}\n`;
    },
  );
}

/** LitGPT pretrain/fine-tune stdout: `Epoch 1 | iter N step M | loss train: X, val: … | iter time: T ms …`. */
export function writeLitgptLog(file, bytes) {
  const rnd = lcg(31);
  return writeLines(
    file,
    bytes,
    'Seed set to 42\nTotal parameters: 1,100,048,384\n',
    (k) =>
      `Epoch 1 | iter ${4 * k + 4} step ${k + 1} | loss train: ${lossAt(k, rnd).toFixed(3)}, val: n/a | iter time: ${(400 + 20 * rnd()).toFixed(2)} ms (step) remaining time: 12:31:02\n`,
  );
}

/** torchtitan stdout with its colour codes: `[titan] <time> - root - INFO - step: N  loss: X  grad_norm: …`. */
export function writeTorchtitanLog(file, bytes) {
  const rnd = lcg(37);
  const E = '\x1b';
  return writeLines(
    file,
    bytes,
    '[titan] 2025-01-10 09:00:00,100 - root - INFO - Starting job: Llama 3 8B training\n',
    (k) =>
      `[titan] 2025-01-10 ${String(9 + (((k / 3600) | 0) % 15)).padStart(2, '0')}:${String(((k / 60) | 0) % 60).padStart(2, '0')}:${String(k % 60).padStart(2, '0')},${String(k % 1000).padStart(3, '0')} - root - INFO - ${E}[31mstep: ${String(k + 1).padStart(2)}  ${E}[32mloss: ${lossAt(k, rnd).toFixed(4).padStart(8)}  ${E}[38;2;180;60;0mgrad_norm: ${(1 + rnd()).toFixed(4).padStart(7)}  ${E}[33mmemory: 53.40GiB(67.52%)  ${E}[34mtps: ${(6000 + Math.floor(900 * rnd())).toLocaleString('en')}  ${E}[36mtflops: ${(370 + 10 * rnd()).toFixed(2)}  ${E}[35mmfu: ${(38 + rnd()).toFixed(2)}%${E}[39m\n`,
  );
}
