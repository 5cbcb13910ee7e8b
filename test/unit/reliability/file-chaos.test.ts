/**
 * File chaos: watched logs are appended to (whole and partial lines), truncated, rotated, rewritten in place
 * (same size and different size), deleted and re-created — interleaved randomly with the incremental reader's
 * polls, some of them racing the change. A ground-truth mirror of every file's bytes says which points are in
 * it; after every quiescent poll (and at checkpoints over all files) the reader must hold exactly those points,
 * in file order: 0 lost, 0 duplicated, no stale values. The same polls drive a `RunModel`, and a consumer that
 * applies `takeIncrements` (dropping what it had on `reset`) must end up with the same points.
 *
 * Files: two nanoGPT stdout logs and one Lightning CSVLogger metrics.csv rewritten in place (as CSVLogger does).
 * Reduced size: 150 cycles; SCALING_LENS_FULL=1: 1,000. Replay a failure with RELIABILITY_SEED=<seed>.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogFile } from '../../../src/ingest/incremental';
import type { ParseResult } from '../../../src/ingest/types';
import { RunModel } from '../../../src/model/runModel';
import { Rng, seedFor, size } from './util';

type Kind = 'nanogpt' | 'csv';
type Pt = [number, number];
/** Points per original metric name, in file order. */
type Points = Record<string, Pt[]>;

const NANO_ITER = /^iter (\d+): loss (\d+\.\d+), time (\d+)ms, mfu (\d+\.\d+)%$/;
const NANO_EVAL = /^step (\d+): train loss (\d+\.\d+), val loss (\d+\.\d+)$/;
const CSV_HEADER = 'epoch,step,train_loss_step,val_loss';

/** Mirror of one file: complete lines, then a partial last line whose remainder the writer still owes. */
class Doc {
  lines: string[] = [];
  partialHead = '';
  partialRest = '';
  nextStep = 0;
  runNo = 0;
  constructor(
    readonly kind: Kind,
    readonly file: string,
    private readonly rng: Rng,
  ) {}

  content(): string {
    return this.lines.map((l) => l + '\n').join('') + this.partialHead;
  }

  /** A fresh file (new run): header, then some lines. */
  fresh(): void {
    this.runNo++;
    this.lines =
      this.kind === 'csv'
        ? [CSV_HEADER]
        : [
            'Overriding config with config/train_shakespeare_char.py:',
            `# run ${this.runNo} seed ${this.rng.int(0, 1e9)}`,
          ];
    this.partialHead = this.partialRest = '';
    this.nextStep = 0;
    this.appendLines(this.rng.int(0, 30));
  }

  line(step: number): string {
    const r = this.rng;
    const loss = (r.int(1, 12) + r.next()).toFixed(r.int(2, 6));
    if (this.kind === 'csv') {
      if (step % 7 === 6) return `${Math.floor(step / 50)},${step},,${(r.int(1, 9) + r.next()).toFixed(4)}`;
      return `${Math.floor(step / 50)},${step},${loss},`;
    }
    if (step % 10 === 9) return `step ${step}: train loss ${loss}, val loss ${(r.int(1, 9) + r.next()).toFixed(4)}`;
    return `iter ${step}: loss ${loss}, time ${r.int(1, 99999)}ms, mfu ${r.next().toFixed(2)}%`;
  }

  /** Bytes to append so that `n` new whole lines follow (the owed partial line is completed first). */
  appendLines(n: number): string {
    let out = '';
    if (this.partialHead || this.partialRest) {
      out += this.partialRest + '\n';
      this.lines.push(this.partialHead + this.partialRest);
      this.partialHead = this.partialRest = '';
    }
    for (let i = 0; i < n; i++) {
      const l = this.line(this.nextStep++);
      this.lines.push(l);
      out += l + '\n';
    }
    return out;
  }

  /** Appends `n` whole lines then the first part of one more. */
  appendPartial(n: number): string {
    let out = this.appendLines(n);
    const l = this.line(this.nextStep++);
    const cut = this.rng.int(1, l.length); // cut == length: the whole text but no newline yet
    this.partialHead = l.slice(0, cut);
    this.partialRest = l.slice(cut);
    out += this.partialHead;
    return out;
  }

  /** Ground truth: the points of the complete lines (what a live reader must show). */
  expected(): Points {
    const out: Points = {};
    const add = (k: string, s: number, v: number) => (out[k] ??= []).push([s, v]);
    for (const l of this.lines) {
      if (this.kind === 'csv') {
        if (l === CSV_HEADER) continue;
        const c = l.split(',');
        if (c[2] !== '') add('train_loss_step', Number(c[1]), Number(c[2]));
        if (c[3] !== '') add('val_loss', Number(c[1]), Number(c[3]));
        continue;
      }
      let m = NANO_ITER.exec(l);
      if (m) add('loss', Number(m[1]), Number(m[2]));
      else if ((m = NANO_EVAL.exec(l))) add('val loss', Number(m[1]), Number(m[3]));
    }
    return out;
  }
}

const COMPARED: Record<Kind, string[]> = { nanogpt: ['loss', 'val loss'], csv: ['train_loss_step', 'val_loss'] };

function actualFrom(result: ParseResult, kind: Kind): Points {
  const out: Points = {};
  for (const run of result.runs) {
    for (const s of Object.values(run.metrics)) {
      if (!COMPARED[kind].includes(s.originalName)) continue;
      assert.ok(!out[s.originalName], `two series named ${s.originalName}`);
      out[s.originalName] = Array.from(s.step, (st, i): Pt => [st, s.value[i]]);
    }
  }
  return out;
}

/** Compares two point maps; a readable first difference (lost / duplicated / stale / out of order). */
function diff(kind: Kind, want: Points, got: Points): string | undefined {
  for (const k of COMPARED[kind]) {
    const a = want[k] ?? [];
    const b = got[k] ?? [];
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!a[i] || !b[i] || a[i][0] !== b[i][0] || a[i][1] !== b[i][1]) {
        const wantSteps = new Set(a.map((p) => p[0]));
        const gotSteps = b.map((p) => p[0]);
        const dup = gotSteps.filter((s, j) => gotSteps.indexOf(s) !== j).length;
        const lost = [...wantSteps].filter((s) => !gotSteps.includes(s)).length;
        return `${k}: ${a.length} points in the file, ${b.length} held (lost ${lost}, duplicated ${dup}); first difference at #${i}: file ${JSON.stringify(a[i])} vs held ${JSON.stringify(b[i])}`;
      }
    }
  }
  return undefined;
}

/** A consumer of RunModel increments (what the dashboard webview does). */
class Consumer {
  series = new Map<string, Map<string, Pt[]>>();
  apply(model: RunModel, removed: string[]): void {
    for (const id of removed) this.series.delete(id);
    for (const inc of model.takeIncrements()) {
      let run = this.series.get(inc.runId);
      if (!run) this.series.set(inc.runId, (run = new Map()));
      const pts = inc.step.map((s, i) => [s, inc.y[i]] as Pt);
      if (inc.reset) run.set(inc.metric, pts);
      else {
        const had = run.get(inc.metric) ?? [];
        assert.equal(
          inc.from,
          had.length,
          `increment of ${inc.metric} starts at ${inc.from} but the consumer holds ${had.length}`,
        );
        run.set(inc.metric, had.concat(pts));
      }
    }
  }
  points(model: RunModel, runId: string, kind: Kind): Points {
    const out: Points = {};
    const run = this.series.get(runId);
    const modelRun = model.runs.get(runId);
    if (!run || !modelRun) return out;
    for (const [metric, pts] of run) {
      const s = modelRun.metrics[metric];
      if (s && COMPARED[kind].includes(s.originalName)) out[s.originalName] = pts;
    }
    return out;
  }
}

function writeInPlace(file: string, text: string): void {
  // Same inode: open r+, write, cut to length (what an editor's in-place save or CSVLogger-style rewrite does).
  const fd = fs.openSync(file, 'r+');
  try {
    const buf = Buffer.from(text, 'utf8');
    fs.writeSync(fd, buf, 0, buf.length, 0);
    fs.ftruncateSync(fd, buf.length);
  } finally {
    fs.closeSync(fd);
  }
}

test(
  'file chaos: incremental reader + RunModel increments hold exactly the file content',
  { timeout: 600_000 },
  async () => {
    const seed = seedFor(0xc4a05);
    const rng = new Rng(seed);
    const cycles = size(1000, 150);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-chaos-'));
    const docs = [
      new Doc('nanogpt', path.join(dir, 'run-a', 'train.log'), rng),
      new Doc('nanogpt', path.join(dir, 'run-b', 'train.log'), rng),
      new Doc('csv', path.join(dir, 'lightning_logs', 'version_0', 'metrics.csv'), rng),
    ];
    const readers = new Map<Doc, LogFile>();
    const model = new RunModel({ liveTimeoutMs: 60_000, relativize: (p) => path.relative(dir, p) });
    const consumer = new Consumer();
    const opCounts: Record<string, number> = {};
    let polls = 0,
      racingPolls = 0,
      resets = 0,
      checks = 0;
    const ctx = () => `seed=${seed} (replay: RELIABILITY_SEED=${seed})`;
    try {
      for (const d of docs) {
        fs.mkdirSync(path.dirname(d.file), { recursive: true });
        d.fresh();
        fs.writeFileSync(d.file, d.content());
        readers.set(d, new LogFile(d.file));
      }

      /** Docs whose current content the reader has polled quiescently. */
      const clean = new Set<Doc>();
      /** Docs rewritten at the same size since their last quiescent poll. */
      const sameSizeEdited = new Set<Doc>();
      const poll = async (d: Doc, racing = false): Promise<void> => {
        const lf = readers.get(d)!;
        const r = await lf.poll();
        polls++;
        if (!racing) clean.add(d);
        if (r.reset) resets++;
        if (r.gone) {
          consumer.apply(model, model.remove(d.file));
          return;
        }
        const { removed } = model.update(d.file, lf.result(), r.grew);
        consumer.apply(model, removed);
      };

      const check = (d: Doc, where: string): void => {
        checks++;
        const want = d.expected();
        const got = actualFrom(readers.get(d)!.result(), d.kind);
        const e1 = diff(d.kind, want, got);
        assert.equal(e1, undefined, `reader vs file ${path.relative(dir, d.file)} ${where}: ${e1}; ${ctx()}`);
        const e2 = diff(d.kind, want, consumer.points(model, d.file, d.kind));
        assert.equal(
          e2,
          undefined,
          `RunModel increments vs file ${path.relative(dir, d.file)} ${where}: ${e2}; ${ctx()}`,
        );
      };

      const ops: [number, string][] = [
        [30, 'append'],
        [15, 'appendPartial'],
        [6, 'truncate'],
        [5, 'rotate'],
        [8, 'rewriteSameSize'],
        [8, 'rewriteOtherSize'],
        [4, 'deleteRecreate'],
      ];
      const mutate = (d: Doc, op: string): string => {
        opCounts[op] = (opCounts[op] ?? 0) + 1;
        clean.delete(d);
        switch (op) {
          case 'append':
            fs.appendFileSync(d.file, d.appendLines(rng.int(1, 40)));
            break;
          case 'appendPartial':
            fs.appendFileSync(d.file, d.appendPartial(rng.int(0, 5)));
            break;
          case 'truncate': {
            // to 0 (logrotate copytruncate), to a line boundary, or inside a line (the writer then finishes it)
            const how = rng.int(0, 2);
            const keepHeader = d.kind === 'csv' ? 1 : 0;
            const j = how === 0 ? keepHeader : rng.int(keepHeader, d.lines.length);
            if (how === 2 && j < d.lines.length && d.lines[j].length > 1) {
              const c = rng.int(1, d.lines[j].length - 1);
              d.partialHead = d.lines[j].slice(0, c);
              d.partialRest = d.lines[j].slice(c);
            } else d.partialHead = d.partialRest = '';
            d.lines = d.lines.slice(0, j);
            fs.truncateSync(d.file, Buffer.byteLength(d.content()));
            assert.equal(fs.readFileSync(d.file, 'utf8'), d.content());
            break;
          }
          case 'rotate': {
            fs.rmSync(d.file + '.1', { force: true });
            fs.renameSync(d.file, d.file + '.1');
            d.fresh();
            fs.writeFileSync(d.file, d.content());
            break;
          }
          case 'rewriteSameSize': {
            // One digit of a random data line changes (a loss value, same length): same size, new mtime.
            const idx = d.lines.map((_, i) => i).filter((i) => /\d\.\d/.test(d.lines[i]));
            if (!idx.length) return op + '(noop)';
            const i = rng.pick(idx);
            const l = d.lines[i];
            const dot = l.lastIndexOf('.') + 1;
            const ch = l[dot];
            d.lines[i] = l.slice(0, dot) + String((Number(ch) + rng.int(1, 9)) % 10) + l.slice(dot + 1);
            writeInPlace(d.file, d.content());
            break;
          }
          case 'rewriteOtherSize': {
            // The writer rewrites the whole file (CSVLogger.save(), a resumed run re-logging): some earlier values
            // change and rows may be added or removed; same inode, different size.
            const dataLines = d.lines.length - (d.kind === 'csv' ? 1 : 2);
            if (dataLines > 0) {
              const start = d.lines.length - dataLines;
              const i = rng.int(start, d.lines.length - 1);
              const step = stepOf(d.lines[i]);
              // A rewrite that changes a line's length shifts every later byte (the seam check sees it). A
              // same-length edit in the middle while the file also grows is the documented gap (test below).
              for (let tries = 0; step !== undefined && tries < 50; tries++) {
                const l = d.line(step);
                if (l.length !== d.lines[i].length) {
                  d.lines[i] = l;
                  break;
                }
              }
            }
            if (rng.bool()) d.appendLines(rng.int(1, 20));
            else {
              d.lines = d.lines.slice(0, Math.max(d.kind === 'csv' ? 1 : 2, d.lines.length - rng.int(0, 5)));
              d.partialHead = d.partialRest = '';
            }
            writeInPlace(d.file, d.content());
            break;
          }
          case 'deleteRecreate':
            fs.rmSync(d.file, { force: true });
            return 'delete'; // recreated at the start of a later cycle (the reader may poll the gap)
        }
        return op;
      };

      const deleted = new Set<Doc>();
      for (let c = 0; c < cycles; c++) {
        for (const d of [...deleted]) {
          if (rng.bool(0.6)) {
            d.fresh();
            fs.writeFileSync(d.file, d.content());
            deleted.delete(d);
          }
        }
        const d = rng.pick(docs.filter((x) => !deleted.has(x)));
        if (!d) continue;
        const op0 = rng.weighted(ops);
        // The reader detects a same-size rewrite by its mtime (an append-only log cannot change without
        // growing), so it must see the file at the size it had before AND after the rewrite: a same-length edit
        // in the middle followed by growth before the next poll is the documented gap (see the todo test below).
        if ((op0 === 'rewriteSameSize' && !clean.has(d)) || sameSizeEdited.has(d)) await poll(d);
        sameSizeEdited.delete(d);
        if (op0 === 'rewriteSameSize') sameSizeEdited.add(d);
        const racing = rng.bool(0.25);
        const early = racing ? poll(rng.pick(docs), true) : undefined;
        if (early) racingPolls++;
        const op = mutate(d, op0);
        if (op === 'delete') deleted.add(d);
        await early;
        // Quiescent polls (nothing changes while they run): afterwards the reader must match the file exactly.
        for (const x of docs) {
          if (rng.bool(0.4)) {
            await poll(x);
            if (!deleted.has(x)) check(x, `after cycle ${c} (${op} on ${path.relative(dir, d.file)})`);
          }
        }
        if (c % 25 === 24 || c === cycles - 1) {
          for (const x of docs) {
            if (deleted.has(x)) {
              x.fresh();
              fs.writeFileSync(x.file, x.content());
              deleted.delete(x);
            }
            await poll(x);
            check(x, `at checkpoint ${c}`);
          }
        }
      }
      console.log(
        `file chaos: seed=${seed} cycles=${cycles} ops=${JSON.stringify(opCounts)} polls=${polls} (racing ${racingPolls}) resets=${resets} exact checks=${checks}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

function stepOf(l: string): number | undefined {
  const m = /^(?:iter |step )(\d+)/.exec(l) ?? /^\d+,(\d+),/.exec(l);
  return m ? Number(m[1]) : undefined;
}

/**
 * Known gap, kept visible: the reader spot-checks a grown file (first 4 KiB, the 1 KiB before the resume offset,
 * mtime when the size did not change). A same-length edit in the middle of an already-read region FOLLOWED BY
 * growth before the next poll passes those checks, so the stale value stays. Detecting it would need hashing
 * everything read on every poll (O(file)). `todo` keeps the run green; it reports when the gap gets closed.
 */
test(
  'known gap: same-length mid-file edit + append between two polls is not detected',
  { todo: 'spot checks only (head 4 KiB, seam 1 KiB, mtime at equal size)' },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-gap-'));
    try {
      const file = path.join(dir, 'train.log');
      const lines = Array.from(
        { length: 300 },
        (_, i) => `iter ${i}: loss ${(5 - i / 100).toFixed(4)}, time 100ms, mfu 1.00%`,
      );
      fs.writeFileSync(file, lines.join('\n') + '\n');
      const lf = new LogFile(file, { sidecars: false });
      await lf.poll();
      lines[150] = lines[150].replace('loss 3.5000', 'loss 9.5000'); // same length, offset ~7 KiB
      fs.writeFileSync(file, lines.join('\n') + '\n' + 'iter 300: loss 2.0000, time 100ms, mfu 1.00%\n');
      await lf.poll();
      const s = Object.values(lf.result().runs[0].metrics).find((x) => x.originalName === 'loss')!;
      assert.equal(s.value[150], 9.5, 'the edited value should have been re-read');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
