/**
 * The real-log corpus (test/fixtures/real, see SOURCES.md): the parser, in-process through the same entry as
 * `scaling-lens parse --json`, against ground truth counted from the raw text by truth.mjs (which imports
 * nothing from src/). A ratchet: the thresholds are what the parser reached when they were last raised, so a
 * change that loses files fails here. Dev and each hold-out are held to their own thresholds. Hold-outs 1
 * (`holdout/`, scored several times), 3 (`holdout3/`, scored once at 19/31), 4 (`holdout4/`, scored once, blind,
 * at 24/34), 5 (`holdout5/`, scored once, blind, at 30/37), 6 (`holdout6/`, scored once, blind, at ef9d9d9:
 * 30/30 recognised, 29/30 right loss series), 7 (`holdout7/`, scored once, blind, at 1d76190: 35/37 recognised,
 * 27/37 right loss series), 8 (`holdout8/`, scored once, blind, at d4d3484: 34/36 recognised, 24/36 right loss
 * series), 9 (`holdout9/`, scored once, blind, at 2fbc43e: 29/31 recognised, 25/31 right loss series), 10
 * (`holdout10/`, scored once, blind, at 3d5a06c: 28/31 recognised, 22/31 right loss series), 11 (`holdout11/`,
 * scored once, blind, at 3bcf109: 34/34 recognised, 28/34 right loss series), 12 (`holdout12/`, scored once,
 * blind, at 0742d5c: 31/31 recognised, 30/31 right loss series), 13 (`holdout13/`, scored once, blind, at ee5875b:
 * 12/12 recognised, 10/12 right loss series), 14 (`holdout14/`, scored once, blind, at 5246478: 29/31
 * recognised, 26/31 right loss series), 15 (`holdout15/`, scored once, blind, at 32d70e0: 25/30 recognised, 24/30
 * right loss series), 16 (`holdout16/`, scored once, blind, at 5ccbbc7: 32/32 recognised, 25/32 right loss series)
 * 17 (`holdout17/`, scored once, blind, at 19b9ee5: 31/31 recognised, 27/31 right loss series), 18 (`holdout18/`,
 * scored once, blind, at 282e8f2: 29/29 recognised, 22/29 right loss series), 19 (`holdout19/`, scored once,
 * blind, at f3a5207: 28/30 recognised, 25/30 right loss series), 20 (`holdout20/`, scored once, blind, at
 * 86278aa: 29/29 recognised, 27/29 right loss series), 21 (`holdout21/`, scored once, blind, at 3282d63: 25/26
 * recognised, 18/26 right loss series) and 22 (`holdout22/`, scored once, blind, at 0efefde: 26/26 recognised, 19/26
 * right loss series) had their misses studied, so they are retired into dev (split.mjs); 23 (`holdout23/`, scored
 * once, blind, at 59c3a9b: 25/26 recognised, 21/26 right loss series), 24 (`holdout24/`, scored once, blind, at
 * c21482e: 26/26 recognised, 23/26 right loss series), 25 (`holdout25/`, scored once, blind, at 160cc5f: 19/19
 * recognised, 16/19 right loss series), 26 (`holdout26/`, scored once, blind, at 7444728: 18/18 recognised,
 * 14/18 right loss series), 27 (`holdout27/`, scored once, blind, at aa81181: 24/26 recognised, 23/26 right loss
 * series), 28 (`holdout28/`, scored once, blind, at 989803d: 23/23 recognised, 16/23 right loss series) and 29
 * (`holdout29/`, scored once, blind, at e13bd7f: 20/21 recognised, 15/21 right loss series) are retired into dev too.
 * A live hold-out that has not been scored yet (a folder neither retired nor `holdout2/`) is not parsed here
 * (splitOf gives it null until it is scored once and retired); none is live now.
 * `node test/fixtures/real/score.mjs` prints the per-file table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPaths } from '../../../src/cli/load';
import { parseOutputOf } from '../../../src/cli/parseCmd';
import type { ParseOutput } from '../../../src/cli/schema';

interface Check {
  pass: number;
  of: number;
}
interface Totals {
  files: number;
  silentDrops: number;
  recognised: Check;
  seriesOk: Check;
  axisOk: Check;
  paramsOk: Check;
}
interface Score {
  seriesOk: boolean;
  silentDrop: boolean;
}
const DIR = path.resolve(__dirname, '../../fixtures/real');
const load = async <T>(name: string) => (await import(pathToFileURL(path.join(DIR, name)).href)) as T;

/** Fractions of files reached by today's parser (rounded down); raise them as the readers improve. */
const THRESHOLDS = {
  // batches 1–5 dev files plus the retired hold-outs 1 (batches 1–4), 3 (batch 6), 4 (batch 7), 5 (batch 8) and
  // 6 (batch 9): 244/244 recognised, 241/244 right loss series, 24/25 parameter counts after hold-out 6's miss and
  // the dev misses were fixed (237/244 when hold-out 6 was retired; it had been scored once, blind, at ef9d9d9:
  // 30/30 recognised, 29/30 right loss series, none states a parameter count; hold-out 5 once, blind, at 65c5f67:
  // 35/37 recognised, 30/37 right loss series, 7/7 parameter counts; hold-out 4 once, blind, at b9e0a8a: 33/34
  // recognised, 24/34 right loss series)
  // With the retired hold-out 7 (batch 10, scored once, blind, at 1d76190: 35/37 recognised, 27/37 right loss
  // series, 5/6 parameter counts): 249/251 recognised, 235/251 right loss series, 29/31 parameter counts when it
  // was retired; 250/251, 242/251 and 30/31 after its misses were fixed (hold-out 7 itself 36/37, 34/37, 6/6).
  // With the retired hold-out 8 (batch 11, scored once, blind, at d4d3484: 34/36 recognised, 24/36 right loss
  // series, 2/3 parameter counts): 314/317 recognised, 299/317 right loss series, 32/34 parameter counts when it
  // was retired; 316/317, 310/317 and 33/34 after its misses were fixed (hold-out 8 itself 36/36, 35/36, 3/3).
  // With the retired hold-out 9 (batch 12, scored once, blind, at 2fbc43e: 29/31 recognised, 25/31 right loss
  // series, 8/11 parameter counts): 345/348 recognised, 335/348 right loss series, 41/45 parameter counts when it
  // was retired; 345/348, 338/348 and 41/45 after its misses were fixed (hold-out 9 itself 29/31, 28/31, 8/11).
  // With the retired hold-out 10 (batch 13, scored once, blind, at 3d5a06c: 28/31 recognised, 22/31 right loss
  // series, 2/5 parameter counts): 374/379 recognised, 361/379 right loss series, 46/50 parameter counts when it
  // was retired; 375/379, 365/379 and 48/50 after its misses were fixed (hold-out 10 itself 29/31, 26/31, 4/5).
  // With the retired hold-out 11 (batch 14, scored once, blind, at 3bcf109: 34/34 recognised, 28/34 right loss
  // series, 9/10 parameter counts): 409/413 recognised, 393/413 right loss series, 57/60 parameter counts when it
  // was retired; 409/413, 396/413 and 58/60 after its misses were fixed (hold-out 11 itself 34/34, 31/34, 10/10).
  // With the retired hold-out 12 (batch 15, scored once, blind, at 0742d5c: 31/31 recognised, 30/31 right loss
  // series, 2/6 parameter counts): 440/444 recognised, 428/444 right loss series, 60/66 parameter counts when it
  // was retired (paramsOk lowered to 0.90); 440/444, 428/444 and 64/66 after its misses were fixed (hold-out 12
  // itself 31/31, 30/31, 6/6), paramsOk back to 0.96.
  // With the retired hold-out 13 (batch 16, scored once, blind, at ee5875b: 12/12 recognised, 10/12 right loss
  // series, 1/2 parameter counts): 452/456 recognised, 438/456 right loss series, 65/68 parameter counts when it
  // was retired (paramsOk lowered to 0.95); 452/456, 440/456 and 65/68 after its misses were fixed (hold-out 13
  // itself 12/12, 12/12, 1/2).
  // With the retired hold-out 14 (batch 17, scored once, blind, at 5246478: 29/31 recognised, 26/31 right loss
  // series, 2/5 parameter counts): 481/487 recognised, 466/487 right loss series, 67/73 parameter counts when it
  // was retired (recognised lowered to 0.98, paramsOk to 0.91); 483/487, 469/487 and 67/73 after three of its
  // misses were fixed (hold-out 14 itself 31/31, 29/31, 2/5), recognised back to 0.99.
  // With the retired hold-out 15 (batch 18, scored once, blind, at 32d70e0: 25/30 recognised, 24/30 right loss
  // series, 2/2 parameter counts): 508/517 recognised, 495/517 right loss series, 69/75 parameter counts when it
  // was retired (recognised lowered to 0.98); 510/517 and 497/517 after two of its classes were read (JSON metric
  // lists, bare-number rows in a file named for a loss), right loss series raised to 0.96.
  // With the retired hold-out 16 (batch 19, scored once, blind, at 5ccbbc7: 32/32 recognised, 25/32 right loss
  // series, 6/7 parameter counts): 542/549 recognised, 523/549 right loss series, 75/82 parameter counts when it
  // was retired (right loss series lowered to 0.95).
  // With the retired hold-out 17 (batch 20, scored once, blind, at 19b9ee5: 31/31 recognised, 27/31 right loss
  // series, 9/10 parameter counts): 573/580 recognised, 556/580 right loss series, 85/92 parameter counts after three
  // of its classes were read (finished trainings by an epoch counter at its total, a `total_loss` series, a count
  // before a full stop).
  // With the retired hold-out 18 (batch 21, scored once, blind, at 282e8f2: 29/29 recognised, 22/29 right loss
  // series, 1/1 parameter counts): 603/609 recognised, 584/609 right loss series, 86/93 parameter counts after three
  // of its classes were read (a value before a two-word name, an optimisation that says it finished, a fold announced).
  // 604/609 recognised, 588/609 right loss series after four more classes (`Finished <name>, best <score>` and a
  // training time alone on its line end a training, an underscore joining two numbers, epochs run to the same last
  // epoch three times or more).
  // With the retired hold-out 19 (batch 22, scored once, blind, at f3a5207: 28/30 recognised, 25/30 right loss
  // series, 5/5 parameter counts): 632/639 recognised, 613/639 right loss series, 97/98 parameter counts; the
  // thresholds hold.
  // With the retired hold-out 20 (batch 23, scored once, blind, at 86278aa: 29/29 recognised, 27/29 right loss
  // series, 3/4 parameter counts): 663/668 recognised, 645/668 right loss series, 100/102 parameter counts; the
  // thresholds hold.
  // With the retired hold-out 21 (batch 24, scored once, blind, at 3282d63: 25/26 recognised, 18/26 right loss
  // series, 5/5 parameter counts): 688/694 recognised, 665/694 right loss series, 106/107 parameter counts; the
  // thresholds hold.
  // With the retired hold-out 22 (batch 25, scored once, blind, at 0efefde: 26/26 recognised, 19/26 right loss
  // series, 8/8 parameter counts): 715/720 recognised, 691/720 right loss series, 114/115 parameter counts; the
  // thresholds hold.
  // With the retired hold-out 23 (batch 26, scored once, blind, at 59c3a9b: 25/26 recognised, 21/26 right loss
  // series, 2/3 parameter counts): the thresholds hold (the figures are in README.md's real-log table).
  // With the retired hold-out 24 (batch 27, scored once, blind, at c21482e: 26/26 recognised, 23/26 right loss
  // series, 4/4 parameter counts): the thresholds hold.
  // With the retired hold-out 25 (batch 28, scored once, blind, at 160cc5f: 19/19 recognised, 16/19 right loss
  // series, no parameter count stated): the thresholds hold.
  // With the retired hold-out 26 (batch 29, scored once, blind, at 7444728: 18/18 recognised, 14/18 right loss
  // series, 4/6 parameter counts): the thresholds hold.
  // With the retired hold-out 27 (batch 30, scored once, blind, at aa81181: 24/26 recognised, 23/26 right loss
  // series, 8/10 parameter counts): the thresholds hold.
  // With the retired hold-out 28 (batch 31, scored once, blind, at 989803d: 23/23 recognised, 16/23 right loss
  // series, 3/3 parameter counts): the thresholds hold.
  // With the retired hold-out 29 (batch 32, scored once, blind, at e13bd7f: 20/21 recognised, 15/21 right loss
  // series, 2/3 parameter counts): the thresholds hold.
  dev: { recognised: 0.98, seriesOk: 0.95, paramsOk: 0.91 },
  // batch 5, collected after the reader had been developed against batches 1–4 (see SOURCES.md)
  holdout2: { recognised: 1.0, seriesOk: 1.0, paramsOk: 1.0 },
};
type Split = keyof typeof THRESHOLDS;
/** dev and the retired hold-outs count as dev; a live hold-out not yet scored is left out (null). */
const splitOf = (file: string, retiredInto: Record<string, string>): Split | null => {
  const folder = file.split('/')[0];
  const split = retiredInto[folder] ?? folder;
  return split === 'dev' || split === 'holdout2' ? split : null;
};

test('real-log corpus: files recognised and right loss series, dev and each hold-out, no silent drops', async () => {
  const { computeTruth, readManifest } = await load<{
    computeTruth(manifest: { files: { file: string }[] }): Record<string, unknown>;
    readManifest(): { files: { file: string }[] };
  }>('truth.mjs');
  const { scoreFile, totals, formatTotals } = await load<{
    scoreFile(truth: unknown, out: ParseOutput): Score;
    totals(s: Score[]): Totals;
    formatTotals(label: string, t: Totals): string;
  }>('compare.mjs');
  const { retiredInto } = await load<{ retiredInto: Record<string, string> }>('split.mjs');
  // a live hold-out's files are not even counted by truth.mjs here
  const files = readManifest().files.filter(({ file }) => splitOf(file, retiredInto));
  const truth = computeTruth({ files });
  const scores: Record<Split, Score[]> = { dev: [], holdout2: [] };
  for (const { file } of files) {
    const split = splitOf(file, retiredInto);
    if (!split) continue;
    const out = parseOutputOf(await loadPaths([path.join(DIR, file)]));
    scores[split].push(scoreFile(truth[file], out));
  }
  for (const split of ['dev', 'holdout2'] as const) {
    const t = totals(scores[split]);
    console.log(formatTotals(split, t));
    assert.ok(t.files > 0, `${split}: no files`);
    assert.equal(t.silentDrops, 0, `${split}: files with no run and no diagnostic`);
    assert.ok(
      t.recognised.pass / t.files >= THRESHOLDS[split].recognised,
      `${split}: recognised ${t.recognised.pass}/${t.files} fell below ${THRESHOLDS[split].recognised}`,
    );
    assert.ok(
      t.seriesOk.pass / t.files >= THRESHOLDS[split].seriesOk,
      `${split}: right loss series ${t.seriesOk.pass}/${t.files} fell below ${THRESHOLDS[split].seriesOk}`,
    );
    // of the files that state a parameter count
    if (t.paramsOk.of)
      assert.ok(
        t.paramsOk.pass / t.paramsOk.of >= THRESHOLDS[split].paramsOk,
        `${split}: parameters found ${t.paramsOk.pass}/${t.paramsOk.of} fell below ${THRESHOLDS[split].paramsOk}`,
      );
  }
});

test('real-log corpus: sources.tsv keeps the split rule (split.mjs) and each file lies in its split folder', async () => {
  const { assignSplits, readSources } = await load<{
    assignSplits(entries: { id: string; batch: number }[]): Map<string, string>;
    readSources(file: string): { id: string; batch: string; split: string; file: string }[];
  }>('split.mjs');
  const rows = readSources(path.join(DIR, 'sources.tsv'));
  const want = assignSplits(rows.map((r) => ({ id: r.id, batch: Number(r.batch) })));
  for (const r of rows) {
    assert.equal(r.split, want.get(r.id), `${r.id}: split column vs the rule for batch ${r.batch}`);
    assert.equal(r.file.split('/')[0], r.split, `${r.id}: folder vs split`);
  }
});

test('real-log corpus: batches 15, 16 and 17 are each a hold-out of their own (holdout12/, holdout13/, holdout14/)', async () => {
  const { holdoutOf, wholeHoldout } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
  }>('split.mjs');
  for (const [batch, folder] of [
    [15, 'holdout12'],
    [16, 'holdout13'],
    [17, 'holdout14'],
  ] as const) {
    assert.equal(holdoutOf(batch), folder, `batch ${batch}`);
    assert.equal(wholeHoldout(batch), true, `batch ${batch} whole`);
  }
});

test('real-log corpus: batch 18 is a hold-out of its own (holdout15/), batch 17 stays in holdout14/', async () => {
  const { holdoutOf, wholeHoldout } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
  }>('split.mjs');
  assert.equal(holdoutOf(17), 'holdout14');
  assert.equal(holdoutOf(18), 'holdout15');
  assert.equal(wholeHoldout(18), true);
});

test('real-log corpus: batch 19 is a hold-out of its own (holdout16/), batch 18 stays in holdout15/', async () => {
  const { holdoutOf, wholeHoldout } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
  }>('split.mjs');
  assert.equal(holdoutOf(18), 'holdout15');
  assert.equal(holdoutOf(19), 'holdout16');
  assert.equal(wholeHoldout(19), true);
});

test('real-log corpus: batch 20 is a hold-out of its own (holdout17/, retired after its one scoring), batch 19 stays in holdout16/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(19), 'holdout16');
  assert.equal(holdoutOf(20), 'holdout17');
  assert.equal(wholeHoldout(20), true);
  // scored once, blind, at 19b9ee5, then retired into dev
  assert.equal(retiredInto.holdout17, 'dev');
});

test('real-log corpus: batch 21 is a hold-out of its own (holdout18/, retired after its one scoring), batch 20 stays in holdout17/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(20), 'holdout17');
  assert.equal(holdoutOf(21), 'holdout18');
  assert.equal(wholeHoldout(21), true);
  // scored once, blind, at 282e8f2, then retired into dev
  assert.equal(retiredInto.holdout18, 'dev');
});

test('real-log corpus: batch 22 is a hold-out of its own (holdout19/, retired after its one scoring), batch 21 stays in holdout18/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(21), 'holdout18');
  assert.equal(holdoutOf(22), 'holdout19');
  assert.equal(wholeHoldout(22), true);
  // scored once, blind, at f3a5207, then retired into dev
  assert.equal(retiredInto.holdout19, 'dev');
  // hold-out 18 stays retired
  assert.equal(retiredInto.holdout18, 'dev');
});

test('real-log corpus: batch 23 is a hold-out of its own (holdout20/, retired after its one scoring), batch 22 stays in holdout19/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(22), 'holdout19');
  assert.equal(holdoutOf(23), 'holdout20');
  assert.equal(wholeHoldout(23), true);
  // scored once, blind, at 86278aa, then retired into dev
  assert.equal(retiredInto.holdout20, 'dev');
  // hold-out 19 stays retired
  assert.equal(retiredInto.holdout19, 'dev');
});

test('real-log corpus: batch 24 is a hold-out of its own (holdout21/, retired after its one scoring), batch 23 stays in holdout20/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(23), 'holdout20');
  assert.equal(holdoutOf(24), 'holdout21');
  assert.equal(wholeHoldout(24), true);
  // scored once, blind, at 3282d63, then retired into dev
  assert.equal(retiredInto.holdout21, 'dev');
  // hold-out 20 stays retired
  assert.equal(retiredInto.holdout20, 'dev');
});

test('real-log corpus: batch 25 is a hold-out of its own (holdout22/, retired after its one scoring), batch 24 stays in holdout21/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(24), 'holdout21');
  assert.equal(holdoutOf(25), 'holdout22');
  assert.equal(wholeHoldout(25), true);
  // scored once, blind, at 0efefde, then retired into dev
  assert.equal(retiredInto.holdout22, 'dev');
  // hold-out 21 stays retired
  assert.equal(retiredInto.holdout21, 'dev');
});

test('real-log corpus: batch 26 is a hold-out of its own (holdout23/, retired after its one scoring), batch 25 stays in holdout22/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(25), 'holdout22');
  assert.equal(holdoutOf(26), 'holdout23');
  assert.equal(wholeHoldout(26), true);
  // scored once, blind, at 59c3a9b, then retired into dev
  assert.equal(retiredInto.holdout23, 'dev');
  // hold-out 22 stays retired
  assert.equal(retiredInto.holdout22, 'dev');
});

test('real-log corpus: batch 27 is a hold-out of its own (holdout24/, retired after its one scoring), batch 26 stays in holdout23/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(26), 'holdout23');
  assert.equal(holdoutOf(27), 'holdout24');
  assert.equal(wholeHoldout(27), true);
  // scored once, blind, at c21482e, then retired into dev
  assert.equal(retiredInto.holdout24, 'dev');
  // hold-out 23 stays retired
  assert.equal(retiredInto.holdout23, 'dev');
});

test('real-log corpus: batch 28 is a hold-out of its own (holdout25/, retired after its one scoring), batch 27 stays in holdout24/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(27), 'holdout24');
  assert.equal(holdoutOf(28), 'holdout25');
  assert.equal(wholeHoldout(28), true);
  // scored once, blind, at 160cc5f, then retired into dev
  assert.equal(retiredInto.holdout25, 'dev');
  // hold-out 24 stays retired
  assert.equal(retiredInto.holdout24, 'dev');
});

test('real-log corpus: batch 29 is a hold-out of its own (holdout26/, retired after its one scoring), batch 28 stays in holdout25/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(28), 'holdout25');
  assert.equal(holdoutOf(29), 'holdout26');
  assert.equal(wholeHoldout(29), true);
  // scored once, blind, at 7444728, then retired into dev
  assert.equal(retiredInto.holdout26, 'dev');
  // hold-out 25 stays retired
  assert.equal(retiredInto.holdout25, 'dev');
});

test('real-log corpus: batch 30 is a hold-out of its own (holdout27/, retired after its one scoring), batch 29 stays in holdout26/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(29), 'holdout26');
  assert.equal(holdoutOf(30), 'holdout27');
  assert.equal(wholeHoldout(30), true);
  // scored once, blind, at aa81181, then retired into dev
  assert.equal(retiredInto.holdout27, 'dev');
  // hold-out 26 stays retired
  assert.equal(retiredInto.holdout26, 'dev');
});

test('real-log corpus: batch 31 is a hold-out of its own (holdout28/, retired after its one scoring), batch 30 stays in holdout27/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(30), 'holdout27');
  assert.equal(holdoutOf(31), 'holdout28');
  assert.equal(wholeHoldout(31), true);
  // scored once, blind, at 989803d, then retired into dev
  assert.equal(retiredInto.holdout28, 'dev');
  // hold-out 27 stays retired
  assert.equal(retiredInto.holdout27, 'dev');
});

test('real-log corpus: batch 32 is a hold-out of its own (holdout29/, retired after its one scoring), batch 31 stays in holdout28/', async () => {
  const { holdoutOf, wholeHoldout, retiredInto } = await load<{
    holdoutOf(batch: number): string;
    wholeHoldout(batch: number): boolean;
    retiredInto: Record<string, string>;
  }>('split.mjs');
  assert.equal(holdoutOf(31), 'holdout28');
  assert.equal(holdoutOf(32), 'holdout29');
  assert.equal(wholeHoldout(32), true);
  // scored once, blind, at e13bd7f, then retired into dev
  assert.equal(retiredInto.holdout29, 'dev');
  // hold-out 28 stays retired
  assert.equal(retiredInto.holdout28, 'dev');
});
