#!/usr/bin/env node
// The "still training" run of the demo: appends nanoGPT lines to a train.log, continuing from the file's
// last `iter N:` line with the same law and the same per-iteration noise the generator uses
// (scripts/make-sample-workspace.mjs), so the file looks exactly like a nanoGPT run writing its stdout.
//
// Usage: node scripts/live-appender.mjs [--file <train.log>] [--interval <ms>] [--lines-per-tick <n>]
//                                       [--max-lines <n>] [--reset] [--reset-only] [--quiet]
//   --file            default sample-workspace/live/gpt-85M-live/train.log
//   --interval        milliseconds between ticks (default 1000)
//   --lines-per-tick  `iter` lines written per tick (default 1; eval lines come along when due)
//   --max-lines       stop after this many `iter` lines (default: until max_iters)
//   --reset           first rewrite the file with the committed prefix (iterations 0–995)
//   --reset-only      do that and exit
// Stops cleanly on SIGINT/SIGTERM (finishes the current write, never leaves a partial line).
import { appendFileSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  REPO,
  liveSpec,
  nanogptSpec,
  nanogptLinesAt,
  nanogptLog,
  parseNanogptHeader,
} from './make-sample-workspace.mjs';

function parseArgs(argv) {
  const o = {
    file: path.join(REPO, 'sample-workspace', 'live', 'gpt-85M-live', 'train.log'),
    interval: 1000,
    linesPerTick: 1,
    maxLines: Infinity,
    reset: false,
    resetOnly: false,
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--file') o.file = path.resolve(val());
    else if (a === '--interval') o.interval = Number(val());
    else if (a === '--lines-per-tick') o.linesPerTick = Number(val());
    else if (a === '--max-lines') o.maxLines = Number(val());
    else if (a === '--reset') o.reset = true;
    else if (a === '--reset-only') {
      o.reset = true;
      o.resetOnly = true;
    } else if (a === '--quiet') o.quiet = true;
    else if (a === '--help' || a === '-h') {
      console.log(
        readFileSync(new URL(import.meta.url), 'utf8')
          .split('\n')
          .slice(1, 14)
          .map((l) => l.replace(/^\/\/ ?/, ''))
          .join('\n'),
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.interval >= 0) || !(o.linesPerTick >= 1) || !(o.maxLines >= 1))
    throw new Error('--interval must be ≥ 0, --lines-per-tick and --max-lines ≥ 1');
  return o;
}

/** The run the file continues: the live run's settings, overridden by whatever its header says. */
function specFromFile(text) {
  const live = liveSpec();
  const h = parseNanogptHeader(text);
  const name = h.outDir?.replace(/^out-/, '') || live.name;
  const { N: _n, tpi: _t, ...base } = live;
  return nanogptSpec({
    ...base,
    ...h,
    name,
    seed: name,
    lrDecayIters: h.lrDecayIters ?? h.maxIters ?? live.lrDecayIters,
  });
}

/** Last logged iteration and the printed running MFU, from the end of the file. */
function lastIter(text) {
  const re = /^iter (\d+): loss \S+, time \S+ms, mfu (-?[\d.]+)%$/gm;
  let m, last;
  while ((m = re.exec(text))) last = m;
  return last ? { iter: Number(last[1]), mfu: Number(last[2]) / 100 } : undefined;
}

export function startAppender(opts) {
  const o = { ...parseArgs([]), ...opts };
  const log = (...a) => {
    if (!o.quiet) console.log('[live-appender]', ...a);
  };
  if (o.reset || !existsSync(o.file)) {
    const s = liveSpec();
    mkdirSync(path.dirname(o.file), { recursive: true });
    writeFileSync(o.file, nanogptLog(s, { upTo: s.prefixIters }));
    log(`reset ${o.file} to the committed prefix (iterations 0–${s.prefixIters})`);
  }
  if (o.resetOnly) return { stop: async () => {}, done: Promise.resolve() };
  let text = readFileSync(o.file, 'utf8');
  if (text.length && !text.endsWith('\n')) {
    appendFileSync(o.file, '\n');
    text += '\n';
  } // never glue onto a partial line
  const s = specFromFile(text);
  const last = lastIter(text);
  let it = last ? last.iter + 1 : 0;
  const state = {
    runningMfu: last && last.mfu > 0 ? last.mfu : -1,
    startIter: last ? last.iter - 10 * s.logInterval : 0,
  };
  let written = 0;
  let timer;
  let resolveDone;
  const done = new Promise((r) => {
    resolveDone = r;
  });
  log(
    `appending to ${o.file}: ${s.name}, N=${(s.N / 1e6).toFixed(2)}M, ${s.tpi.toLocaleString('en-US')} tokens/iter, from iter ${it} to ${s.maxIters}, ${o.linesPerTick} line(s) every ${o.interval} ms`,
  );
  const finish = (why) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    log(why);
    resolveDone(why);
  };
  const tick = () => {
    let chunk = '';
    let iterLines = 0;
    while (iterLines < o.linesPerTick && written < o.maxLines && it <= s.maxIters) {
      const lines = nanogptLinesAt(s, it, state);
      if (lines.some((l) => l.startsWith('iter '))) {
        iterLines++;
        written++;
      }
      for (const l of lines) chunk += l + '\n';
      it++;
    }
    if (chunk) appendFileSync(o.file, chunk); // one write per tick: whole lines only
    if (it > s.maxIters) return finish(`reached max_iters = ${s.maxIters}; training done`);
    if (written >= o.maxLines) return finish(`wrote ${written} lines (--max-lines)`);
    timer = setTimeout(tick, o.interval);
  };
  timer = setTimeout(tick, o.interval);
  return {
    done,
    stop: async () => {
      if (timer) finish(`stopped after ${written} lines`);
      return done;
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`[live-appender] ${e.message}`);
    process.exit(2);
  }
  const a = startAppender(opts);
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.on(sig, () => {
      a.stop().then(() => process.exit(0));
    });
  await a.done;
}
