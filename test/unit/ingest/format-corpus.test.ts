/**
 * The format corpus (test/fixtures/formats: metric-logging format strings of public training scripts, rendered
 * into logs with known truth by render.mjs).
 *  1. The renderer's truth is checked against an independent count: each sampled log is re-read with a regular
 *     expression built from the entry's own format string (literal text, a number per placeholder), and the
 *     matching lines give the point count, the last loss as printed and the last step. Nothing here comes from
 *     the reader, nor from the renderer's own bookkeeping.
 *  2. A ratchet on the dev split: the reader, in-process through the same entry as `scaling-lens parse --json`,
 *     scored as test/fixtures/real/score.mjs scores files (compare.mjs). The hold-out third of the first two
 *     batches was scored once, blind (first batch at 2fbc43e, second at 5f10cad), then retired into dev; so were
 *     the third and fourth batches (each scored once, blind, at 3bcf109): the ratchet covers them (the fifth, blind, not).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { loadPaths } from '../../../src/cli/load';
import { parseOutputOf } from '../../../src/cli/parseCmd';
import type { ParseOutput } from '../../../src/cli/schema';

type Part = string | { role: string; expr: string; spec: string };
interface Entry {
  id: string;
  repo: string;
  batch?: number;
  lib?: { name: string };
  parts: Part[];
  extras?: unknown[];
}
interface Truth {
  points: number;
  last: string;
  lastStep: number | null;
  axis: string;
}
interface Render {
  SEED: string;
  readCorpus(): Entry[];
  splitOf(repo: string): 'dev' | 'holdout';
  renderEntry(e: Entry): { text: string; truth: Truth };
  renderSplit(split: Split, dir: string): { entry: Entry; file: string; truth: Truth }[];
}
interface Score {
  seriesOk: boolean;
  silentDrop: boolean;
}
const DIR = path.resolve(__dirname, '../../fixtures');
const load = async <T>(rel: string) => (await import(pathToFileURL(path.join(DIR, rel)).href)) as T;

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NUM = '\\s*([-+]?(?:\\d[\\d,]*\\.?\\d*|\\.\\d+)(?:e[-+]?\\d+)?%?|nan|inf)\\s*';

test('format corpus: the renderer’s truth matches an independent count of the rendered lines', async () => {
  const r = await load<Render>('formats/render.mjs');
  const corpus = r.readCorpus();
  // a sample of dev entries of every loop shape, whose template is one whole line (no newline or `\r` inside)
  const simple = corpus.filter(
    (e) =>
      r.splitOf(e.repo) === 'dev' &&
      !e.lib &&
      !e.extras?.length &&
      e.parts.every((p) => typeof p !== 'string' || !/[\r\n]/.test(p.replace(/\n+$/, ''))),
  );
  const byShape = new Map<string, Entry[]>();
  for (const e of simple) {
    const roles = new Set(e.parts.filter((p) => typeof p !== 'string').map((p) => (p as { role: string }).role));
    const shape = roles.has('step')
      ? 'step'
      : roles.has('epoch')
        ? roles.has('batch')
          ? 'epoch+batch'
          : 'epoch'
        : 'record';
    byShape.set(shape, [...(byShape.get(shape) ?? []), e]);
  }
  assert.ok(byShape.size >= 4, `loop shapes sampled: ${[...byShape.keys()].join(', ')}`);
  let checked = 0;
  for (const [, entries] of byShape) {
    for (const e of entries.slice(0, 4)) {
      const { text, truth } = r.renderEntry(e);
      const fields = e.parts.filter((p) => typeof p !== 'string') as { role: string }[];
      const body = e.parts
        .map((p) => (typeof p === 'string' ? esc(p.replace(/\n+$/, '')).replace(/ +/g, ' *') : NUM))
        .join('');
      const re = new RegExp(`^(?:INFO:root:|\\S+ \\S+ - INFO - |\\[[^\\]]*\\] )?${body}$`);
      const hits = text
        .split('\n')
        .map((l) => re.exec(l))
        .filter((m): m is RegExpExecArray => m !== null);
      assert.equal(hits.length, truth.points, `${e.id}: lines matching its format string`);
      const lossAt = fields.findIndex((f) => f.role === 'loss') + 1;
      const last = hits[hits.length - 1];
      assert.equal(Number(last[lossAt].replace(/[,%]/g, '')), Number(truth.last), `${e.id}: last loss as printed`);
      const stepRole = truth.axis === 'step' ? 'step' : truth.axis === 'epoch' ? 'epoch' : null;
      const stepAt = stepRole ? fields.findIndex((f) => f.role === stepRole) + 1 : 0;
      if (stepAt > 0) {
        const steps = hits.map((m) => Number(m[stepAt]));
        assert.ok(
          steps.every((s, i) => i === 0 || s > steps[i - 1]),
          `${e.id}: steps increase`,
        );
        assert.equal(steps[steps.length - 1], truth.lastStep, `${e.id}: last step`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 10, `${checked} entries checked`);
});

/**
 * Fraction of dev logs with the right loss series reached by today's reader (rounded down), per batch of the
 * corpus; raise each as the reader improves. Each later batch (the second, f167 on: library-drawn
 * tqdm/Keras/Lightning displays, JAX, Julia and R loops; the third, `batch: 3`: XGBoost, LightGBM, CatBoost,
 * scikit-learn MLP, fastText and spaCy; the fourth, `batch: 4`: deep-learning trainers' consoles; the fifth,
 * `batch: 5`: HF Trainer, timm, torchtitan, icefall, Ignite and SpeechBrain consoles) has a ratchet of its own, so
 * that adding it lowered no earlier figure. All count their retired hold-out (first batch: 47/55 blind at 2fbc43e;
 * second: 18/24 blind at 5f10cad; the third and fourth were blind as wholes: 26/59 and 37/40 at 3bcf109; the fifth
 * too: 20/22 at 0742d5c).
 */
const SERIES_OK: Record<number, number> = {
  1: 0.95, // first batch, 166 with the retired hold-out: 155/166 when retired, 159/166 after its fixes
  2: 0.96, // second batch, 60 with the retired hold-out: 53/60 when retired, 58/60 after its fixes
  3: 0.93, // third batch, 59: 26/59 blind at 3bcf109 and when retired, 55/59 after its fixes
  4: 0.97, // fourth batch, 40: 37/40 blind at 3bcf109 and when retired, 39/40 after its fixes
  5: 0.9, // fifth batch, 22: 20/22 blind at 0742d5c and when retired
};
const secondBatch = (id: string) => Number(id.slice(1)) > 166 && Number(id.slice(1)) <= 226;
/** The batch an entry was collected in: 1 (f1–f166), 2 (f167–f226), or its stated `batch` (3, 4, 5). */
const batchOf = (e: Entry) => (Number(e.batch) >= 3 ? Number(e.batch) : secondBatch(e.id) ? 2 : 1);

test('format corpus: dev logs recognised with the right loss series (ratchet), no silent drops', async () => {
  const r = await load<Render>('formats/render.mjs');
  const { scoreFile } = await load<{ scoreFile(t: Truth, o: ParseOutput): Score }>('real/compare.mjs');
  // a directory of this run's own (tests of several checkouts may run at once)
  const dir = mkdtempSync(path.join(tmpdir(), 'scaling-lens-formats-'));
  // the dev split, the retired hold-out and the retired later batches (a blind batch, one with no ratchet, is never
  // run through the reader here)
  const rendered = r
    .readCorpus()
    .filter((e) => batchOf(e) in SERIES_OK)
    .map((entry) => {
      const { text, truth } = r.renderEntry(entry);
      const file = path.join(dir, `${entry.id}.log`);
      writeFileSync(file, text);
      return { entry, file, truth };
    });
  assert.ok(rendered.length >= 347, `${rendered.length} dev logs (with the retired hold-out and batches)`);
  const ok = new Map<number, number>();
  const n = new Map<number, number>();
  let silent = 0;
  for (const { entry, file, truth } of rendered) {
    const s = scoreFile(truth, parseOutputOf(await loadPaths([file])));
    const b = batchOf(entry);
    n.set(b, (n.get(b) ?? 0) + 1);
    if (s.seriesOk) ok.set(b, (ok.get(b) ?? 0) + 1);
    if (s.silentDrop) silent++;
  }
  rmSync(dir, { recursive: true, force: true });
  const line = [1, 2, 3, 4, 5].map((b) => `${ok.get(b) ?? 0}/${n.get(b) ?? 0} (batch ${b})`).join(', ');
  console.log(`format corpus dev: right loss series ${line}`);
  assert.equal(silent, 0, 'files with no run and no diagnostic');
  assert.ok((n.get(2) ?? 0) >= 60, `${n.get(2)} second-batch dev logs`);
  assert.ok((n.get(3) ?? 0) >= 59 && (n.get(4) ?? 0) >= 40 && (n.get(5) ?? 0) >= 22, `later batches in dev: ${line}`);
  for (const [b, floor] of Object.entries(SERIES_OK)) {
    const k = Number(b);
    const frac = (ok.get(k) ?? 0) / (n.get(k) ?? 1);
    assert.ok(frac >= floor, `batch ${b}: right loss series ${ok.get(k) ?? 0}/${n.get(k)} fell below ${floor}`);
  }
  // the corpus itself: ≥ 150 format strings from ≥ 100 repositories, a third of the repositories held out; the
  // second batch ≥ 60 more from ≥ 40 repositories not in the first
  const corpus = JSON.parse(readFileSync(path.join(DIR, 'formats/formats.json'), 'utf8')) as Entry[];
  const repos = new Set(corpus.map((e) => e.repo));
  assert.ok(corpus.length >= 150 && repos.size >= 100, `${corpus.length} entries from ${repos.size} repositories`);
  const first = new Set(corpus.filter((e) => !secondBatch(e.id)).map((e) => e.repo));
  const second = corpus.filter((e) => secondBatch(e.id));
  const newRepos = new Set(second.map((e) => e.repo).filter((x) => !first.has(x)));
  assert.ok(
    second.length >= 60 && newRepos.size >= 40,
    `second batch: ${second.length} entries, ${newRepos.size} new repositories`,
  );
});

test('format corpus: library-drawn displays (second batch) recounted from the rendered bytes', async () => {
  const r = await load<Render>('formats/render.mjs');
  type LibEntry = Entry & {
    lib?: { name: string; desc?: Part[]; descEvery?: boolean; print?: string; verbose?: number };
    label: string;
  };
  const corpus = r.readCorpus() as LibEntry[];
  // the parts of a draw as a regex: literal text, and a captured number per placeholder; which group is the loss
  const partsRe = (parts: Part[]) => {
    let loss = -1;
    let g = 0;
    const body = parts
      .map((p) => {
        if (typeof p === 'string') return esc(p).replace(/ +/g, ' *');
        g++;
        if (p.role === 'loss') loss = g;
        return '([-+]?(?:\\d[\\d,]*\\.?\\d*|\\.\\d+)(?:e[-+]?\\d+)?|nan|inf)';
      })
      .join('');
    return { re: new RegExp(body), loss };
  };
  let checked = 0;
  for (const e of corpus) {
    if (!e.lib || batchOf(e) > 2 || e.lib.print) continue;
    const { text, truth } = r.renderEntry(e);
    const seen = new Map<string, string>(); // point -> loss as printed, last draw wins
    const put = (k: string, v: string) => {
      seen.delete(k);
      seen.set(k, v);
    };
    if (e.lib.name === 'tqdm') {
      const { re, loss } = partsRe(e.lib.descEvery ? e.lib.desc! : e.parts);
      let bar = 0;
      let prev = -1;
      for (const seg of text.split(/[\r\n]/)) {
        const c = /(\d+)\/(\d+) \[/.exec(seg);
        if (!c) continue;
        const n = Number(c[1]);
        if (n < prev) bar++;
        prev = n;
        const m = re.exec(seg);
        if (m && loss > 0) put(`${bar}:${n}`, m[loss]);
      }
    } else if (e.lib.name === 'lightning') {
      const { re, loss } = partsRe(e.parts);
      for (const seg of text.split(/[\r\n]|\x1b\[A/)) {
        const c = /^Epoch (\d+): +\d+%\|[^|]*\| *(\d+)\/\d+ \[/.exec(seg);
        const m = c && re.exec(seg);
        if (m && Number(c[2]) >= 1) put(`${c[1]}:${c[2]}`, m[loss]);
      }
    } else {
      // Keras: each `Epoch i/N` block's last draw is the epoch's line
      const { re, loss } = partsRe(e.parts);
      const blocks = text.split(/^Epoch \d+\/\d+$/m).slice(1);
      blocks.forEach((b, i) => {
        const draws = b.split(/[\r\n\x08]+/).filter((s) => re.test(s));
        if (draws.length) put(String(i + 1), re.exec(draws[draws.length - 1])![loss]);
      });
    }
    assert.equal(seen.size, truth.points, `${e.id}: points counted from the text`);
    assert.equal([...seen.values()].pop(), truth.last, `${e.id}: last loss as printed`);
    checked++;
  }
  assert.ok(checked >= 45, `${checked} library-drawn dev entries recounted (with the retired hold-out)`);
});

/**
 * The third batch (`batch: 3`: XGBoost, LightGBM, CatBoost, scikit-learn MLP, fastText and spaCy displays) was blind
 * as a whole, scored once by the lead at 3bcf109, then retired: the ratchet above scores it with dev, and
 * `score-formats.mjs --split batch3` prints it alone (its render split stays `batch3`). What is checked here is the
 * renderer: each log's points and last loss recounted from the rendered bytes with each library's record shape,
 * independently of the renderer's bookkeeping.
 */
test('format corpus: third batch in a render split of its own, its truth recounted from the rendered bytes', async () => {
  const r = await load<Render>('formats/render.mjs');
  type Lib3 = Entry & { lib: { name: string }; batch?: number; label: string };
  const corpus = r.readCorpus() as Lib3[];
  const third = corpus.filter((e) => e.batch === 3);
  assert.ok(third.length >= 30, `${third.length} third-batch entries`);
  const dir = mkdtempSync(path.join(tmpdir(), 'scaling-lens-formats3-'));
  const ids = (split: 'dev' | 'batch3') => new Set(r.renderSplit(split, dir).map((x) => x.entry.id));
  const dev = ids('dev');
  const b3 = ids('batch3');
  rmSync(dir, { recursive: true, force: true });
  assert.ok(
    third.every((e) => !dev.has(e.id) && b3.has(e.id)),
    'third-batch entries are in batch3 only',
  );
  assert.equal(b3.size, third.length);
  const NUM3 = '([-+]?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)';
  for (const e of third) {
    const { text, truth } = r.renderEntry(e);
    const seen = new Map<string, string>();
    if (e.lib.name === 'xgboost' || e.lib.name === 'lightgbm') {
      // `[round]\t<first set>-<metric>:v` / `[iteration]\t<first set>'s <metric>: v`; the best-iteration line
      // LightGBM prints after stopping repeats an earlier iteration with the same values
      const re = new RegExp(`^\\[(\\d+)\\]\\t[^\\t]*?(?:-[^\\t:]+:|'s [^\\t:]+: )${NUM3}`);
      for (const line of text.split('\n')) {
        const m = re.exec(line);
        if (m && !seen.has(m[1])) seen.set(m[1], m[2]);
      }
      const last = [...seen.keys()].map(Number).reduce((a, b) => Math.max(a, b), -1);
      assert.equal(seen.size, truth.points, `${e.id}: printed rounds`);
      assert.equal(seen.get(String(last)), truth.last, `${e.id}: last value as printed`);
      assert.equal(last, truth.lastStep, `${e.id}: last round`);
    } else if (e.lib.name === 'sklearn-mlp') {
      for (const m of text.matchAll(/^Iteration (\d+), loss = (\d+\.\d{8})$/gm)) seen.set(m[1], m[2]);
      assert.equal(seen.size, truth.points, `${e.id}: iterations`);
      assert.equal([...seen.values()].pop(), truth.last, `${e.id}: last loss`);
    } else if (e.lib.name === 'fasttext') {
      // every `\r` redraw of the progress line; a progress value's last draw wins
      for (const seg of text.split(/[\r\n]/)) {
        const m =
          /^Progress: +(\d+\.\d)% words\/sec\/thread: +\d+ lr: +[\d.]+ avg\.loss: +(\d+\.\d{6}) ETA: +\d+h *\d+m *\d+s$/.exec(
            seg,
          );
        if (!m) continue;
        seen.delete(m[1]);
        seen.set(m[1], m[2]);
      }
      const pcts = [...seen.keys()].map(Number);
      assert.ok(
        pcts.every((p, i) => i === 0 || p > pcts[i - 1]),
        `${e.id}: progress only grows`,
      );
      assert.equal(seen.size, truth.points, `${e.id}: progress values drawn`);
      assert.equal([...seen.values()].pop(), truth.last, `${e.id}: last avg.loss`);
    } else if (e.lib.name === 'spacy') {
      // the table: a header row `E  #  LOSS …  …  SCORE` (columns two or more spaces apart), then a row per evaluation
      const lines = text.split('\n');
      const h = lines.findIndex((l) => /^E +# +LOSS /.test(l));
      assert.ok(h >= 0, `${e.id}: table header`);
      const cols = lines[h].trim().split(/ {2,}/);
      const at = cols.indexOf(e.label);
      assert.ok(at > 1, `${e.id}: ${e.label} is a column of ${cols.join('|')}`);
      let lastStep = -1;
      for (const l of lines.slice(h + 2)) {
        if (!/^ *\d+ +\d+( +\d+\.\d\d)+$/.test(l)) continue;
        const f = l.trim().split(/ +/);
        assert.equal(f.length, cols.length, `${e.id}: row width`);
        seen.set(f[1], f[at]);
        lastStep = Number(f[1]);
      }
      assert.equal(seen.size, truth.points, `${e.id}: table rows`);
      assert.equal([...seen.values()].pop(), truth.last, `${e.id}: last loss`);
      assert.equal(lastStep, truth.lastStep, `${e.id}: last step`);
    } else if (e.lib.name === 'catboost') {
      for (const m of text.matchAll(/^(\d+):\tlearn: (\d+\.\d{7})\t/gm)) seen.set(m[1], m[2]);
      assert.equal(seen.size, truth.points, `${e.id}: printed iterations`);
      assert.equal([...seen.values()].pop(), truth.last, `${e.id}: last learn value`);
      assert.equal(Number([...seen.keys()].pop()), truth.lastStep, `${e.id}: last iteration`);
    } else assert.fail(`${e.id}: unexpected library ${e.lib.name}`);
  }
});

type Split = 'dev' | 'holdout' | 'batch3' | 'batch4' | 'batch5';
/** Asserts that a later batch's entries are rendered in its own split and in none of the `others`. */
function assertOwnSplit(r: Render, own: Split, others: Split[], batch: Entry[], tag: string) {
  const dir = mkdtempSync(path.join(tmpdir(), `scaling-lens-formats-${own}-`));
  const ids = (split: Split) => new Set(r.renderSplit(split, dir).map((x) => x.entry.id));
  const elsewhere = new Set(others.flatMap((s) => [...ids(s)]));
  const mine = ids(own);
  rmSync(dir, { recursive: true, force: true });
  assert.ok(
    batch.every((e) => !elsewhere.has(e.id) && mine.has(e.id)),
    `${tag}-batch entries are in ${own} only`,
  );
  assert.equal(mine.size, batch.length);
}

/**
 * The fourth batch (`batch: 4`: detectron2, MMEngine, mmcv 1.x, fairseq, PaddlePaddle hapi, OpenNMT-py and MindSpore trainer displays) was
 * blind like the third (37/40 at 3bcf109), then retired: the ratchet above scores it with dev, and its render split
 * stays `batch4` (`score-formats.mjs --split batch4` prints it alone). What is checked here is the renderer: each log's points, last loss
 * and last step recounted from the rendered bytes with each trainer's record shape, independently of the
 * renderer's bookkeeping.
 */
test('format corpus: fourth batch in a render split of its own, its truth recounted from the rendered bytes', async () => {
  const r = await load<Render>('formats/render.mjs');
  type Lib4 = Entry & { lib: { name: string }; batch?: number; label: string };
  const corpus = r.readCorpus() as Lib4[];
  const fourth = corpus.filter((e) => e.batch === 4);
  assert.ok(fourth.length >= 10, `${fourth.length} fourth-batch entries`);
  assertOwnSplit(r, 'batch4', ['dev', 'holdout', 'batch3'], fourth, 'fourth');
  for (const e of fourth) {
    const { text, truth } = r.renderEntry(e);
    const seen = new Map<number, string>();
    if (e.lib.name === 'detectron2') {
      for (const m of text.matchAll(
        /d2\.utils\.events\]: (?:\x1b\[0m)? (?:eta: (?:\d+ days?, )?[\d:]+ {2})?iter: (\d+) {2}total_loss: ([\d.e+-]+) /g,
      ))
        seen.set(Number(m[1]), m[2]);
    } else if (e.lib.name === 'mmengine') {
      // Epoch(train) [e][i/len] → global iteration (e − 1)·len + i; Iter(train) [i/max] → i
      for (const m of text.matchAll(
        / - mmengine - \S+ - (?:Epoch\(train\) *\[(\d+)\]\[ *(\d+)\/(\d+)\]|Iter\(train\) \[ *(\d+)\/\d+\]) .* {2}loss: (\d+\.\d{4})/g,
      )) {
        const g = m[4] ? Number(m[4]) : (Number(m[1]) - 1) * Number(m[3]) + Number(m[2]);
        seen.set(g, m[5]);
      }
    } else if (e.lib.name === 'mmcv') {
      for (const m of text.matchAll(
        / - mm(?:det|action) - INFO - Epoch \[(\d+)\]\[(\d+)\/(\d+)\]\t.*, loss: (\d+\.\d{4})$/gm,
      ))
        seen.set((Number(m[1]) - 1) * Number(m[3]) + Number(m[2]), m[4]);
    } else if (e.lib.name === 'fairseq') {
      for (const line of text.split('\n')) {
        if (!line.includes(' | train_inner | ')) continue;
        const u = /num_updates[=": ]+(\d+)/.exec(line);
        const l = /\bloss[=": ]+"?([\d.e+-]+)/.exec(line);
        assert.ok(u && l, `${e.id}: a train_inner line has num_updates and loss`);
        seen.set(Number(u[1]), l[1]);
      }
    } else if (e.lib.name === 'paddle-hapi') {
      // every `\r` redraw (verbose 1) or line (verbose 2); the global step counts the epochs seen (`Epoch e/E` lines)
      // and the drawn step; the evaluation's own step lines (between `Eval begin...` and `Eval samples: N`) are not
      // training points
      let epoch = 0;
      let inEval = false;
      for (const seg of text.split(/[\r\n]/)) {
        const ep = /^Epoch (\d+)\/\d+$/.exec(seg);
        if (ep) epoch = Number(ep[1]);
        if (seg === 'Eval begin...') inEval = true;
        if (seg.startsWith('Eval samples: ')) inEval = false;
        const m = /^step +(\d+)\/(\d+)(?: \[[=>.]+\])? - loss: ([\d.e+-]+)/.exec(seg);
        if (m && !inEval) seen.set((epoch - 1) * Number(m[2]) + Number(m[1]), m[3]);
      }
    } else if (e.lib.name === 'mindspore') {
      // `epoch: E step: S, loss is X`, S within the epoch (the annotation's steps per epoch give the global step)
      const steps = (e.lib as unknown as { steps: number }).steps;
      for (const m of text.matchAll(/^epoch: (\d+) step: (\d+), loss is ([\d.e+-]+)$/gm))
        seen.set((Number(m[1]) - 1) * steps + Number(m[2]), m[3]);
    } else if (e.lib.name === 'opennmt') {
      for (const m of text.matchAll(/ INFO\] Step +(\d+)\/ *\d+; acc: +[\d.]+; ppl: +[\d.]+; xent: +(\d+\.\d\d); /g))
        seen.set(Number(m[1]), m[2]);
    } else assert.fail(`${e.id}: unexpected trainer ${e.lib.name}`);
    const steps = [...seen.keys()];
    assert.ok(
      steps.every((s, i) => i === 0 || s > steps[i - 1]),
      `${e.id}: steps only grow`,
    );
    assert.equal(seen.size, truth.points, `${e.id}: points`);
    assert.equal([...seen.values()].pop(), truth.last, `${e.id}: last loss as printed`);
    assert.equal(steps.pop(), truth.lastStep, `${e.id}: last step`);
  }
});

/**
 * The fifth batch (`batch: 5`: the Hugging Face Trainer's, timm's train.py, torchtitan, icefall, Ignite and SpeechBrain consoles) was blind like the third and
 * fourth (20/22 at 0742d5c), then retired: the ratchet above scores it with dev, and its render split stays `batch5`
 * (`score-formats.mjs --split batch5` prints it alone). What is checked here is the renderer: each log's points recounted from the
 * rendered bytes with each trainer's record shape, their count, last value as printed and last step against the
 * truth. HF Trainer: every `\r`- or `\n`-separated segment that is a `{'loss': …}` dict, in record order, and —
 * where the tqdm bar shows the planned steps `n/N` and the script logs every K steps — that count against ⌊N / K⌋.
 * timm: every `Train: E [ b/N (…%)]  Loss: v (…)` line at the global batch E·N + b. torchtitan: every `step: N  loss:
 * v` line (ANSI colours stripped) at its printed step. icefall: every `Epoch E, batch b, loss[loss=v, …` line at the
 * global batch. Ignite: each counter's first `\r` draw with the loss postfix, at the global iteration. SpeechBrain: each
 * train_logger line's `train loss:` at its epoch.
 */
test('format corpus: fifth batch in a render split of its own, its truth recounted from the rendered bytes', async () => {
  const r = await load<Render>('formats/render.mjs');
  type Lib5 = Entry & {
    lib: { name: string; tqdm: boolean; loggingSteps: number; loggingStrategy: string };
    batch?: number;
  };
  const corpus = r.readCorpus() as Lib5[];
  const fifth = corpus.filter((e) => e.batch === 5);
  assert.ok(fifth.length >= 5, `${fifth.length} fifth-batch entries`);
  assertOwnSplit(r, 'batch5', ['dev', 'holdout', 'batch3', 'batch4'], fifth, 'fifth');
  for (const e of fifth) {
    const { text, truth } = r.renderEntry(e);
    const seen = new Map<number, string>();
    if (e.lib.name === 'hf-trainer') {
      const losses = text
        .split(/[\r\n]/)
        .map((seg) =>
          /^\{'loss': ([\d.e+-]+), 'grad_norm': [\d.e+-]+, 'learning_rate': [\d.e+-]+, 'epoch': [\d.e+-]+\}$/.exec(seg),
        )
        .filter((m) => m !== null)
        .map((m) => m[1]);
      losses.forEach((v, i) => seen.set(i, v));
      assert.equal(truth.axis, 'record', `${e.id}: the dicts print no step`);
      assert.equal(truth.lastStep, null, `${e.id}: record order`);
      const planned = [...text.matchAll(/\| \d+\/(\d+) \[/g)].map((m) => Number(m[1]));
      if (e.lib.tqdm && e.lib.loggingStrategy === 'steps' && planned.length) {
        // the training bar is the first one drawn: its total is the planned optimizer steps
        assert.equal(
          losses.length,
          Math.floor(planned[0] / (e.lib.loggingSteps ?? 500)),
          `${e.id}: one dict per logging step`,
        );
      }
    } else if (e.lib.name === 'timm') {
      for (const m of text.matchAll(/^Train: (\d+) \[ *(\d+)\/(\d+) \( *\d+%\)\] {2}Loss: +([\d.]+) \(/gm))
        seen.set(Number(m[1]) * Number(m[3]) + Number(m[2]), m[4]);
    } else if (e.lib.name === 'torchtitan') {
      // the step lines, ANSI colours stripped: `step: N  loss: v` (two spaces, or one in an edited fork)
      const plain = text.replace(/\x1b\[[\d;]*m/g, '');
      for (const m of plain.matchAll(/ - INFO - step: +(\d+) +loss: +([\d.]+) /g)) seen.set(Number(m[1]), m[2]);
    } else if (e.lib.name === 'icefall') {
      // `Epoch E, batch b, loss[loss=v, …` lines; the epoch's length is not printed: the launch script's settings give
      // it (corpus hours over max_duration · 0.9 · processes), so the global batch is (E − first E)·N + b
      const L = e.lib as unknown as { hours: number; maxDuration: number; world: number; startEpoch: number };
      const n = Math.round((L.hours * 3600) / (L.maxDuration * 0.9 * L.world));
      for (const m of text.matchAll(/ Epoch (\d+), batch (\d+), loss\[loss=([\d.e+-]+), /g))
        seen.set((Number(m[1]) - L.startEpoch) * n + Number(m[2]), m[3]);
      // … and no line states N (it is the renderer's setting only), so the truth cannot check the reader's last step
      // against that global batch: it judges the axis as increasing (stepCheck false)
      assert.ok(!new RegExp(`\\b${n}\\b`).test(text.replace(/^\S+ \S+ /gm, '')), `${e.id}: batches per epoch unstated`);
      assert.equal((truth as { stepCheck?: boolean }).stepCheck, false, `${e.id}: last step not checked`);
    } else if (e.lib.name === 'ignite') {
      // every `\r` draw of the trainer's bar; a counter's point is its first draw with the loss postfix
      const key = (e.lib as unknown as { key: string }).key;
      const re = new RegExp(`^Epoch \\[(\\d+)/\\d+\\]: \\[(\\d+)/(\\d+)\\] +\\d+%\\|.{10}, ${key}=([\\d.e+-]+) \\[`);
      for (const seg of text.split(/[\r\n]/)) {
        const m = re.exec(seg);
        const k = m && (Number(m[1]) - 1) * Number(m[3]) + Number(m[2]);
        if (m && !seen.has(k!)) seen.set(k!, m[4]);
      }
    } else if (e.lib.name === 'speechbrain') {
      // the train_logger's epoch lines: `Epoch: E, … - train loss: v - valid …`
      for (const m of text.matchAll(
        /^speechbrain\.utils\.train_logger - Epoch: (\d+), .* - train loss: ([\d.e+-]+) - /gm,
      ))
        seen.set(Number(m[1]), m[2]);
    } else assert.fail(`${e.id}: unexpected trainer ${e.lib.name}`);
    if (truth.lastStep !== null) {
      // a stepped axis: the recounted steps only grow and end at the truth's last step
      const steps = [...seen.keys()];
      assert.ok(
        steps.every((x, i) => i === 0 || x > steps[i - 1]),
        `${e.id}: steps only grow`,
      );
      assert.equal(steps.pop(), truth.lastStep, `${e.id}: last step`);
    }
    assert.equal(seen.size, truth.points, `${e.id}: points`);
    assert.equal([...seen.values()].pop(), truth.last, `${e.id}: last loss as printed`);
  }
});
