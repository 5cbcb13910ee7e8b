// A mixed, realistic log for the general reader's throughput row (bench/run.mjs, `ingest`): logger prefixes
// (timestamps, levels), free-form `key=value | key value` train lines, evaluation lines, tqdm progress redraws
// (`\r`, Unicode blocks), warnings and a traceback-like preamble; no trainer-specific reader claims it.
// Usage: node bench/mixedLog.mjs FILE MB  (or import { writeMixedLog }).
import * as fs from 'node:fs';

export function writeMixedLog(file, bytes) {
  const fd = fs.openSync(file, 'w');
  let s = 7;
  const rnd = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
  let head = '';
  for (let k = 0; k < 2000; k++) head += `/usr/lib/python3/site-packages/torch/functional.py:${500 + k}: UserWarning: torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.\n`;
  fs.writeSync(fd, head);
  let written = Buffer.byteLength(head), step = 0, lossLines = 0;
  const ts = (t) => `2026-03-01 ${String(10 + ((t / 3600) | 0) % 14).padStart(2, '0')}:${String(((t / 60) | 0) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}.${String((t * 7919) % 1000000).padStart(6, '0')}`;
  while (written < bytes) {
    let chunk = '';
    for (let k = 0; k < 20000; k++, step++) {
      const loss = 2.9 + 8 * Math.pow(step / 100 + 1, -0.5) + 0.05 * (rnd() - 0.5);
      chunk += `[${ts(step)}] INFO step=${step} | loss=${loss.toFixed(4)} | lr=${(3e-4 * (1 - step / 1e8)).toExponential(3)} | grad_norm ${(0.5 + rnd()).toFixed(3)} | tok/s ${(120000 + 5000 * rnd()) | 0}\n`;
      lossLines++;
      if (step % 10 === 0) chunk += `train:  ${step % 100}%|${'█'.repeat((step % 100) / 10)}${' '.repeat(10 - (step % 100) / 10)}| ${step % 1000}/1000 [00:${String(step % 60).padStart(2, '0')}<00:30, 33.3it/s]\r`;
      if (step % 250 === 0) chunk += `${ts(step)},123 - INFO - eval step ${step}: val_loss ${(loss + 0.02).toFixed(4)}, val_ppl ${Math.exp(loss + 0.02).toFixed(2)}\n`;
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
