/**
 * Metamorphic check of the log readers on the real-log corpus (issue 14: "prefixes before a known format", "long
 * preambles", "bytes"): every text log of the dev corpus (test/fixtures/real, retired hold-outs included; never a
 * live hold-out) is rewritten the way real pipelines rewrite a whole console — a prefix on every line added by the
 * tool that captured it, CRLF line ends, a long preamble before the training starts — and parsed again. The loss
 * series must not change: the same truth (truth.mjs, counted from the original bytes) is compared with what the
 * parser finds in the rewritten file. The rewrites (test/fixtures/real/rewrites.mjs) are ones a user meets without
 * changing their script: capture tools' line prefixes (docker, torchrun, ray, ts), CRLF, a long preamble.
 * Files parsed wrong before the rewrite, and files that are not UTF-8 text, are left out (their failure is not the
 * rewrite's); structured files (JSON, JSONL, CSV) only get the CRLF rewrite (no tool prefixes their lines).
 *
 *   node --import tsx bench/perturbStudy.ts [--only docker,crlf] [--match SUBSTRING] [--verbose]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPaths } from '../src/cli/load';
import { parseOutputOf } from '../src/cli/parseCmd';
import type { ParseOutput } from '../src/cli/schema';

const DIR = path.resolve(__dirname, '../test/fixtures/real');
const argv = process.argv.slice(2);
const argOf = (n: string) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : undefined);
const only = argOf('--only')?.split(',');
const match = argOf('--match');
const verbose = argv.includes('--verbose');

interface Score {
  seriesOk: boolean;
  axisOk: boolean;
  recognised: boolean;
  found: { format: string; series: string; points: number; last: unknown; lastStep: unknown };
}

async function main(): Promise<void> {
  const load = async <T>(name: string) => (await import(pathToFileURL(path.join(DIR, name)).href)) as T;
  const { computeTruth, readManifest } = await load<{
    computeTruth(m?: unknown): Record<string, { metric: string[]; points: number; last: unknown }>;
    readManifest(): { files: { file: string; loss: Record<string, unknown>; encoding?: string }[] };
  }>('truth.mjs');
  const { scoreFile } = await load<{ scoreFile(t: unknown, o: ParseOutput): Score }>('compare.mjs');
  const { retiredInto } = await load<{ retiredInto: Record<string, string> }>('split.mjs');
  const { REWRITES, eligible } = await load<{
    REWRITES: Record<string, (text: string) => string>;
    eligible(file: string, spec: { loss: Record<string, unknown>; encoding?: string }, bytes: Buffer): string[];
  }>('rewrites.mjs');
  const files = readManifest().files.filter(({ file }) => {
    const split = file.split('/')[0];
    return (split === 'dev' || retiredInto[split] === 'dev') && (!match || file.includes(match));
  });
  const truth = computeTruth({ files });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perturb-'));
  const names = Object.keys(REWRITES).filter((n) => !only || only.includes(n));
  const tally: Record<string, { of: number; kept: number; lost: string[] }> = {};
  for (const n of names) tally[n] = { of: 0, kept: 0, lost: [] };
  try {
    for (const { file, loss, encoding } of files) {
      const src = path.join(DIR, file);
      const base = scoreFile(truth[file], parseOutputOf(await loadPaths([src])));
      if (!base.seriesOk) continue; // already wrong: not the rewrite's business
      const bytes = fs.readFileSync(src);
      const text = bytes.toString('utf8');
      const apply = eligible(file, { loss, encoding }, bytes);
      for (const n of names) {
        if (!apply.includes(n)) continue;
        const dir = path.join(tmp, n, path.dirname(file));
        fs.mkdirSync(dir, { recursive: true });
        const out = path.join(dir, path.basename(file));
        fs.writeFileSync(out, REWRITES[n](text));
        const s = scoreFile(truth[file], parseOutputOf(await loadPaths([out])));
        tally[n].of++;
        if (s.seriesOk) tally[n].kept++;
        else {
          tally[n].lost.push(file);
          if (verbose)
            console.log(
              `${n}: ${file}\n    found ${s.found.format} ${s.found.series} ${s.found.points} pts, last ${String(s.found.last)} | truth ${truth[file].points} pts, last ${String(truth[file].last)}`,
            );
        }
        fs.rmSync(out);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log('rewrite    right series kept (of files right before the rewrite)');
  for (const n of names) {
    const t = tally[n];
    console.log(`${n.padEnd(10)} ${t.kept}/${t.of} (${((100 * t.kept) / Math.max(1, t.of)).toFixed(1)} %)`);
    if (!verbose) for (const f of t.lost) console.log(`    lost: ${f}`);
  }
}

void main();
