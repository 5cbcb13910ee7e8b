/**
 * fairseq / metaseq training logs, three progress formats:
 *   simple: `| epoch 001 |  loss 9.712 | ppl 838.6 | wps 12345 | … | num_updates 100 | lr 0.0005 | gnorm 1.2 | …`
 *           `| epoch 001 | valid on 'valid' subset | loss 7.8 | ppl 222 | num_updates 500`
 *   json:   `… | INFO | train_inner | {"epoch": 1, "update": 0.1, "loss": "9.5", …, "num_updates": "100", …}`
 *           `… | INFO | valid | {"epoch": 1, "valid_loss": "7.8", …, "valid_num_updates": "500"}`
 *   kv:     `… | INFO | train_inner | epoch 001:    100 / 1000 loss=9.5, nll_loss=9.1, ppl=…, num_updates=100, lr=…`
 * Step = `num_updates` (the optimizer step). Numbers are often strings; `loss` → train/loss,
 * `valid_loss` / loss on a valid line → val/loss, `gnorm` → grad_norm, `lr` → lr, `ppl` → train/ppl.
 * End-of-epoch `train` summaries (`| INFO | train | {…}`) are skipped (they repeat the last `train_inner`).
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { normalizeName } from '../names';
import { makeParser, newRun, scoreSniff } from '../readerKit';

const SIGNATURE =
  /(?:\| (?:train_inner|valid) \| (?:\{"|epoch \d+)|^\| epoch \d{3}(?: \| (?:valid on|\s*loss \d)|:\s+\d+ \/ \d+ loss=))/m;
const JSON_PAIR = /"([^"]{1,80})":\s*("[^"]{0,64}"|[-+0-9.eEnaif]{1,32})/g;
const KV_PAIR = /([A-Za-z_][\w]*)=([^,\s]+)/g;

function pairsOf(text: string, re: RegExp): Map<string, number> {
  const out = new Map<string, number>();
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const v = parseNumber(m[2]);
    if (v !== undefined) out.set(m[1], v);
  }
  return out;
}

/** `| a 1 | b 2 |` → {a:1, b:2} (the last space separates key and value). */
function pipePairs(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const seg of text.split('|')) {
    const t = seg.trim();
    const sp = t.lastIndexOf(' ');
    if (sp <= 0) continue;
    const v = parseNumber(t.slice(sp + 1));
    if (v !== undefined) out.set(t.slice(0, sp).trim(), v);
  }
  return out;
}

const SKIP = new Set([
  'epoch',
  'update',
  'num_updates',
  'wps',
  'ups',
  'wpb',
  'bsz',
  'wall',
  'train_wall',
  'gb_free',
  'cuda_gb_free',
  'clip',
  'oom',
  'wpb',
  'loss_scale',
]);

export const fairseqReader: TextReader = {
  format: 'fairseq',
  kind: 'text',
  detect: (sniff) => scoreSniff(sniff, SIGNATURE, 0.8, 0.95),
  create(path, options) {
    const { b, meta } = newRun(path, 'fairseq', options);
    const emit = (d: Map<string, number>, valid: boolean, lineNo: number) => {
      const step = d.get('num_updates') ?? d.get('valid_num_updates');
      if (step === undefined) return false;
      for (const [k0, v] of d) {
        const k = valid ? k0.replace(/^valid_/, '') : k0;
        if (SKIP.has(k) || k.startsWith('valid_')) continue;
        let name = normalizeName(k);
        if (k === 'loss') name = valid ? 'val/loss' : 'train/loss';
        else if (k === 'ppl') name = valid ? 'val/ppl' : 'train/ppl';
        else if (valid) name = 'val/' + name;
        b.add(k0, step, v, lineNo, undefined, name);
      }
      return true;
    };
    return makeParser(
      b,
      (line, lineNo) => {
        const inner = line.indexOf('| train_inner |');
        const valid = line.indexOf('| valid |');
        const at = inner >= 0 ? inner : valid;
        if (at >= 0) {
          const rest = line.slice(at + (inner >= 0 ? 15 : 9));
          const brace = rest.indexOf('{');
          const d = brace >= 0 ? pairsOf(rest.slice(brace), JSON_PAIR) : pairsOf(rest, KV_PAIR);
          return emit(d, inner < 0, lineNo);
        }
        if (line.startsWith('| epoch ')) {
          if (line.includes('num_updates=')) return emit(pairsOf(line, KV_PAIR), false, lineNo);
          return emit(pipePairs(line), line.includes('| valid on '), lineNo);
        }
        return false;
      },
      meta,
    );
  },
};
