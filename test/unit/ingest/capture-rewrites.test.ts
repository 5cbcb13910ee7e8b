/**
 * The readers under the rewrites real pipelines make to a whole console (test/fixtures/real/rewrites.mjs: a capture
 * tool's prefix on every line — `docker logs --timestamps`, `torchrun --tee`, a Ray actor, moreutils `ts` — CRLF,
 * a long preamble): on a fixed sample of the dev real-log corpus (every 6th text log the parser reads right), the loss
 * series found in the rewritten file must still match the truth counted from the original bytes. A ratchet: the
 * thresholds are what the readers reached when they were set (bench/perturbStudy.ts runs the whole dev corpus:
 * docker, torchrun and ray 316/322, ts 309/322, crlf 462/462, preamble 321/322 in session 20; this sample: docker 47/50,
 * torchrun 48/50, ray 47/50, ts 46/50, crlf 76/76, preamble 50/50).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPaths } from '../../../src/cli/load';
import { parseOutputOf } from '../../../src/cli/parseCmd';
import type { ParseOutput } from '../../../src/cli/schema';

const DIR = path.resolve(__dirname, '../../fixtures/real');
const load = async <T>(name: string) => (await import(pathToFileURL(path.join(DIR, name)).href)) as T;

/** Least share of the sample whose loss series survives each rewrite (today's sample figures, rounded down). */
const THRESHOLDS: Record<string, number> = {
  docker: 0.94,
  torchrun: 0.94,
  ray: 0.94,
  ts: 0.9,
  crlf: 1,
  preamble: 1,
};

test('the loss series survives capture-tool prefixes, CRLF and a long preamble (dev sample)', async () => {
  const { computeTruth, readManifest } = await load<{
    computeTruth(m: unknown): Record<string, unknown>;
    readManifest(): { files: { file: string; loss: Record<string, unknown>; encoding?: string }[] };
  }>('truth.mjs');
  const { scoreFile } = await load<{ scoreFile(t: unknown, o: ParseOutput): { seriesOk: boolean } }>('compare.mjs');
  const { retiredInto } = await load<{ retiredInto: Record<string, string> }>('split.mjs');
  const { REWRITES, eligible } = await load<{
    REWRITES: Record<string, (text: string) => string>;
    eligible(file: string, spec: { loss: Record<string, unknown>; encoding?: string }, bytes: Buffer): string[];
  }>('rewrites.mjs');
  const dev = readManifest().files.filter(({ file }) => {
    const split = file.split('/')[0];
    return split === 'dev' || retiredInto[split] === 'dev';
  });
  const truth = computeTruth({ files: dev });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-rewrites-'));
  const tally: Record<string, { of: number; kept: number; lost: string[] }> = {};
  for (const n of Object.keys(REWRITES)) tally[n] = { of: 0, kept: 0, lost: [] };
  try {
    let k = 0;
    for (const spec of dev) {
      const src = path.join(DIR, spec.file);
      const bytes = fs.readFileSync(src);
      const apply = eligible(spec.file, spec, bytes);
      if (!apply.length || k++ % 6 !== 0) continue;
      if (!scoreFile(truth[spec.file], parseOutputOf(await loadPaths([src]))).seriesOk) continue;
      const text = bytes.toString('utf8');
      for (const n of apply) {
        const out = path.join(tmp, n + '-' + path.basename(spec.file));
        fs.writeFileSync(out, REWRITES[n](text));
        const ok = scoreFile(truth[spec.file], parseOutputOf(await loadPaths([out]))).seriesOk;
        fs.rmSync(out);
        tally[n].of++;
        if (ok) tally[n].kept++;
        else tally[n].lost.push(spec.file);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  for (const [n, t] of Object.entries(tally)) {
    assert.ok(t.of >= 20, `${n}: only ${t.of} files in the sample`);
    assert.ok(t.kept / t.of >= THRESHOLDS[n], `${n}: ${t.kept}/${t.of} kept; lost: ${t.lost.join(', ')}`);
  }
  console.log(
    Object.entries(tally)
      .map(([n, t]) => `${n} ${t.kept}/${t.of}`)
      .join(', '),
  );
});
