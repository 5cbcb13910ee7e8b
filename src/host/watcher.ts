/**
 * Watches the workspace's log files: an initial scan (with progress), file-system watchers over the include
 * globs of every workspace folder, and incremental re-reads of files that change. Reads are async and each
 * parse step is bounded (`SLICE_BYTES`), with a yield to the event loop between slices, so a 1 GB log never
 * blocks the extension host for more than a few milliseconds at a time.
 */
import * as vscode from 'vscode';
import { isInsideAny, isInsideReal } from '../model/paths';
import * as fs from 'node:fs/promises';
import { watch as fsWatch, type Dirent, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import type { ParseResult } from '../ingest/types';
import { openSource, sourceKey, type Source } from '../model/sources';
import { hfCheckpointOf, planRunFiles } from '../ingest/runGroups';
import type { Config } from './config';
import type { Reader } from '../ingest/reader';
import { READERS } from '../ingest/registry';
import { compileCustomPatterns } from '../ingest/readers/customPatterns';
import { countedEvent, track } from './liveCount';

/** Bytes parsed per slice before yielding (≈ 5 ms at 200 MB/s). */
const SLICE_BYTES = 1 << 20;
const DEBOUNCE_MS = 75;
/** Files that grew within this window are also polled on a timer, in case watcher events coalesce or drop. */
const LIVE_POLL_MS = 1000;
const LIVE_POLL_MAX_FILES = 8;
/** How long, and for how many files, unclaimed files are re-checked when they change size. */
const UNCLAIMED_RETRY_MS = 5 * 60_000;
const MAX_UNCLAIMED = 500;
/** Candidate files looked at per scan, per log allowed by `scalingLens.maxFiles`. */
const CANDIDATES_PER_LOG = 10;
/**
 * Paths handled per event-loop turn where a scan walks every candidate (10,000 files: the listing's URIs, the
 * pending queue): a few milliseconds each, so the host never holds its loop for the whole listing.
 */
const PATHS_PER_TURN = 1000;

export interface FileUpdate {
  path: string;
  result: ParseResult;
  grew: boolean;
  reset: boolean;
  /** The file's modification time, on its first read (dates the run: an old log is not live). */
  mtimeMs?: number;
}

/** Lets the event loop run (timers, I/O, other work) before the caller's next slice of work. */
export const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export class LogWatcher implements vscode.Disposable {
  private readonly sources = new Map<string, Source>();
  private readonly pending = new Set<string>();
  private readonly lastGrowth = new Map<string, number>();
  /**
   * Files no reader claimed yet (e.g. created empty, or whose create and write events coalesced): re-checked
   * on the live-poll timer when their size changes, for a while after they were first seen.
   */
  private readonly unclaimed = new Map<string, { size: number; since: number }>();
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.FileSystemWatcher[] = [];
  private watcherListeners: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private liveTimer: ReturnType<typeof setInterval> | undefined;
  /**
   * Native watchers on the few live logs. The workbench's file watcher reaches the extension host ~100–150 ms
   * after a write (server watcher → workbench → extension host, each coalescing); inotify on the log itself takes
   * about a millisecond, which is what makes an appended line reach the chart quickly.
   */
  private readonly nativeWatchers = new Map<string, FSWatcher>();
  private draining: Promise<void> | undefined;
  private disposed = false;
  private readonly _onDidUpdate = new vscode.EventEmitter<FileUpdate>();
  readonly onDidUpdate = this._onDidUpdate.event;
  private readonly _onDidRemove = new vscode.EventEmitter<string>();
  readonly onDidRemove = this._onDidRemove.event;
  private readonly _onDidSkip = new vscode.EventEmitter<{ path: string; reason: string }>();
  readonly onDidSkip = this._onDidSkip.event;

  constructor(
    private config: Config,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.readers = this.compilePatterns(config);
    this.disposables.push(this._onDidUpdate, this._onDidRemove, this._onDidSkip);
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(() => this.restart()));
    this.liveTimer = setInterval(() => this.pollLive(), LIVE_POLL_MS);
  }

  /** Logs watched natively right now (the live ones), for tests. */
  get nativelyWatched(): string[] {
    return [...this.nativeWatchers.keys()];
  }

  get trackedPaths(): string[] {
    return [...this.sources.keys()];
  }

  setConfig(c: Config): void {
    let changed =
      JSON.stringify([c.include, c.exclude, c.maxFiles]) !==
      JSON.stringify([this.config.include, this.config.exclude, this.config.maxFiles]);
    if (JSON.stringify(c.customPatterns) !== JSON.stringify(this.config.customPatterns)) {
      // Other patterns (or trust granted/revoked): files read with the old ones, and files no reader claimed, are
      // read again from the start with the new readers.
      this.readers = this.compilePatterns(c);
      for (const [p, src] of [...this.sources])
        if (src.result().runs.some((r) => r.format === 'custom')) this.removed(p);
      this.notLogs.clear();
      this.unclaimed.clear();
      changed = true;
    }
    this.config = c;
    if (changed) void this.restart();
  }

  /**
   * The readers for this configuration: the built-in ones, plus one built from `scalingLens.customPatterns` when
   * there are any (the config holds none in an untrusted workspace, so no workspace regex is ever compiled there).
   */
  private readers: readonly Reader[] | undefined;
  private compilePatterns(c: Config): readonly Reader[] | undefined {
    if (!c.customPatterns.length) return undefined;
    const { reader, errors } = compileCustomPatterns(c.customPatterns);
    for (const e of errors) this.log.warn(e);
    return reader ? [reader, ...READERS] : undefined;
  }

  private restarting: Promise<number> | undefined;

  /**
   * (Re)scans every workspace folder and (re)creates the watchers. Resolves when all found files are read.
   * Serialised: a restart requested while one runs (a settings change and "Rescan" at once) runs once after it.
   */
  restart(): Promise<number> {
    if (this.restarting) return this.restarting.then(() => this.restart());
    this.restarting = this.doRestart().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  private async doRestart(): Promise<number> {
    // Watchers are recreated only when what they watch changed: new watchers take a moment to start, and
    // files created in that window raise no event (a plain "Rescan" must not open such a window).
    const folders = vscode.workspace.workspaceFolders ?? [];
    const key = JSON.stringify([folders.map((f) => f.uri.toString()), this.config.include]);
    if (key !== this.watchKey) this.recreateWatchers(folders, key);
    return this.scan();
  }

  private watchKey = '';

  /** The include globs as one pattern (a brace group when there are several); undefined when there are none. */
  private includeGlob(): string | undefined {
    const inc = this.config.include;
    return inc.length === 0 ? undefined : inc.length === 1 ? inc[0] : `{${inc.join(',')}}`;
  }

  private recreateWatchers(folders: readonly vscode.WorkspaceFolder[], key: string): void {
    this.watchKey = key;
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const d of this.watcherListeners) d.dispose();
    this.watcherListeners = [];
    // One watcher per folder over all the include globs (one brace pattern, as `find` lists them): VS Code matches
    // every file event against every watcher of the extension host, and with one watcher per glob (11 by default) a
    // burst of 10,000 created files cost 11 × 10,000 glob matches on the host's loop (40–55 ms stalls of VS Code's
    // matchFile in a profile of the 10,000-file scan).
    const glob = this.includeGlob();
    if (glob !== undefined)
      for (const folder of folders) {
        const w = track(
          'watcher.fileWatcher',
          vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob)),
        );
        countedEvent('watcher.listener', w.onDidCreate)(
          (u) => this.schedule(u.fsPath),
          undefined,
          this.watcherListeners,
        );
        countedEvent('watcher.listener', w.onDidChange)(
          (u) => this.schedule(u.fsPath),
          undefined,
          this.watcherListeners,
        );
        countedEvent('watcher.listener', w.onDidDelete)(
          (u) => this.removed(u.fsPath),
          undefined,
          this.watcherListeners,
        );
        this.watchers.push(w);
      }
  }

  private scan(): Promise<number> {
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Scaling Lens: scanning logs' },
        async (progress) => {
          const { files, complete } = await this.find();
          // Logs no longer found are dropped, but only when the listing was complete (a capped one is a sample).
          const keep = new Set<string>();
          for (let i = 0; i < files.length; i++) {
            const k = sourceKey(files[i]);
            keep.add(k);
            this.pending.add(k);
            if ((i + 1) % PATHS_PER_TURN === 0) {
              progress.report({ message: `${i + 1}/${files.length} files` });
              await yieldToLoop();
            }
          }
          if (complete) for (const p of [...this.sources.keys()]) if (!keep.has(p)) this.removed(p);
          await this.drain();
          this.log.info(`scan: ${files.length} candidate files, ${this.sources.size} logs tracked`);
          return this.sources.size;
        },
      ),
    );
  }

  /**
   * Finds log files not tracked yet and reads them, and re-polls the tracked ones (cheap when unchanged).
   * Run shortly after start-up and then periodically: watchers drop events under bursts, and files created
   * while a watcher was starting raise none.
   */
  async sweep(): Promise<number> {
    const { files } = await this.find();
    let n = 0;
    // Tracked logs too: a dropped change event must not leave appended lines unread for good.
    for (const k of this.sources.keys()) this.pending.add(k);
    for (let i = 0; i < files.length; i++) {
      const k = sourceKey(files[i]);
      if (!this.sources.has(k) && !this.unclaimed.has(k) && !this.notLogs.has(k)) {
        this.pending.add(k);
        n++;
      }
      if ((i + 1) % PATHS_PER_TURN === 0) await yieldToLoop();
    }
    // Always drain: the tracked logs queued above must be read even when no new file was found (a log in a folder
    // created after the watchers started may raise no event at all; this poll is then what reads its appends).
    await this.drain();
    return n;
  }

  /**
   * Files matching the include globs, sorted; `complete` is false when there were more than the candidate limit.
   * `maxFiles` caps the logs tracked, not the candidates: most files matching `*.txt`/`*.csv`/`*.log` are no logs
   * (10,000 files holding 1,000 logs must still find the 1,000), so up to `CANDIDATES_PER_LOG × maxFiles` files are
   * looked at.
   */
  private async find(): Promise<{ files: string[]; complete: boolean }> {
    const exclude = this.config.exclude.length ? `{${this.config.exclude.join(',')}}` : undefined;
    const limit = this.config.maxFiles * CANDIDATES_PER_LOG;
    const out = new Set<string>();
    let complete = true;
    const include = this.includeGlob();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (include === undefined) break; // no include glob: nothing to look at
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, include), exclude, limit + 1);
      if (uris.length > limit) complete = false;
      // The reply of 10,000 URIs was just decoded in this turn (VS Code's work): ours starts on the next one, and
      // walks the list a slice per turn.
      for (let i = 0; i < uris.length; i++) {
        if (i % PATHS_PER_TURN === 0) await yieldToLoop();
        if (uris[i].scheme === 'file') out.add(uris[i].fsPath);
      }
    }
    const files = [...out].sort();
    if (!complete || files.length > limit) {
      this.log.warn(
        `more than ${limit} files match scalingLens.include (${CANDIDATES_PER_LOG} × scalingLens.maxFiles); only ${limit} are looked at`,
      );
      files.length = Math.min(files.length, limit);
      complete = false;
    }
    return { files, complete };
  }

  /**
   * Re-reads a file soon. Debounced on the leading and trailing edge: the first change after a quiet
   * `DEBOUNCE_MS` is read at once (an appended line reaches the chart without waiting out the debounce), later
   * changes within the window are collected into one read at its end (a burst costs at most two reads).
   */
  schedule(fsPath: string): void {
    if (this.disposed || !this.inWorkspace(fsPath)) return;
    this.pending.add(sourceKey(fsPath));
    if (this.timer) return;
    // Quiet = no read found new bytes lately. A late duplicate event (the workbench watcher reports a write ~150 ms
    // after the native one) reads nothing and must not hold back the next real append.
    const quiet = Date.now() - this.lastGrowthRead >= DEBOUNCE_MS;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.drain();
      },
      quiet ? 0 : DEBOUNCE_MS,
    );
  }
  /** When a read last found new data (ms). */
  private lastGrowthRead = 0;

  private roots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  /** Paths from settings, watchers or logs never make us read outside the workspace folders (lexically). */
  private inWorkspace(fsPath: string): boolean {
    return isInsideAny(this.roots(), fsPath);
  }

  private removed(fsPath: string): void {
    const key = sourceKey(fsPath);
    const src = this.sources.get(key);
    if (!src) return;
    // A run directory (MLflow) loses one file: re-read the directory instead of dropping the run.
    if (key !== fsPath) {
      this.schedule(fsPath);
      return;
    }
    this.sources.delete(key);
    this.lastGrowth.delete(key);
    const nw = this.nativeWatchers.get(key);
    if (nw) this.unwatch(key, nw);
    this.seen.delete(key);
    this.notLogs.delete(key);
    this._onDidRemove.fire(key);
  }

  /**
   * Safety net for coalesced or dropped watcher events: re-polls the few logs that grew most recently (a live
   * run), never all of them (a scan that just found 1,000 logs must not turn into 1,000 polls a second).
   */
  private pollLive(): void {
    const now = Date.now();
    const recent = this.recentLive(now);
    for (const p of recent) this.schedule(p);
    this.watchLive(recent);
    if (!this.checkingUnclaimed && this.unclaimed.size) this.checkingUnclaimed = this.checkUnclaimed(now);
  }

  /**
   * Re-checks the unclaimed files' sizes, one `stat` at a time: up to `MAX_UNCLAIMED` (500) of them after a scan of
   * many non-log files, whose 500 `stat` calls issued in one turn held the loop for 20–30 ms. One round at a time;
   * the next poll after it finishes starts the next.
   */
  private checkingUnclaimed: Promise<void> | undefined;
  private async checkUnclaimed(now: number): Promise<void> {
    try {
      for (const [p, u] of [...this.unclaimed]) {
        if (this.disposed) return;
        if (now - u.since > UNCLAIMED_RETRY_MS) {
          this.unclaimed.delete(p);
          continue;
        }
        try {
          const st = await fs.stat(p);
          const cur = this.unclaimed.get(p);
          if (cur && st.size !== cur.size) this.schedule(p);
        } catch {
          this.unclaimed.delete(p);
        }
      }
    } finally {
      this.checkingUnclaimed = undefined;
    }
  }

  /** The logs that grew most recently within the live timeout (at most `LIVE_POLL_MAX_FILES`). */
  private recentLive(now = Date.now()): string[] {
    return [...this.lastGrowth]
      .filter(([, t]) => now - t < this.config.liveTimeoutSeconds * 1000)
      .sort((a, b) => b[1] - a[1])
      .slice(0, LIVE_POLL_MAX_FILES)
      .map(([p]) => p);
  }

  /** Keeps a native watcher on exactly these files (plain files only; run directories are left to the poll). */
  private watchLive(paths: string[]): void {
    const want = new Set(paths);
    for (const [p, w] of this.nativeWatchers) if (!want.has(p)) this.unwatch(p, w);
    for (const p of paths) {
      if (this.nativeWatchers.has(p) || sourceKey(p) !== p || this.disposed) continue;
      try {
        const w = fsWatch(p, { persistent: false }, (event) => {
          this.schedule(p);
          // Renamed or replaced (rotation): this watcher follows the old file; the next poll watches the new one.
          if (event === 'rename') this.unwatch(p, w);
        });
        w.on('error', () => this.unwatch(p, w));
        this.nativeWatchers.set(p, w);
      } catch {
        // Not watchable (gone, a file system without notifications): the one-second poll still covers it.
      }
    }
  }

  private unwatch(p: string, w: FSWatcher): void {
    w.close();
    if (this.nativeWatchers.get(p) === w) this.nativeWatchers.delete(p);
  }

  /** Reads every pending file, one slice at a time, yielding between slices. Serialised. */
  drain(): Promise<void> {
    if (this.draining) return this.draining.then(() => (this.pending.size ? this.drain() : undefined));
    // Nothing to read: no loop. An empty loop finishes synchronously, so its `finally` would run before `draining`
    // is assigned and leave a settled promise there, which later calls would chain onto forever.
    if (!this.pending.size || this.disposed) return Promise.resolve();
    this.draining = (async () => {
      try {
        while (this.pending.size && !this.disposed) {
          const [p] = this.pending;
          this.pending.delete(p);
          await this.readOne(p);
        }
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  private async readOne(p: string): Promise<void> {
    let src = this.sources.get(p);
    try {
      if (!src) {
        if (this.sources.size >= this.config.maxFiles) {
          if (!this.capWarned) {
            this.capWarned = true;
            this.log.warn(
              `scalingLens.maxFiles (${this.config.maxFiles}) logs tracked: new files are ignored until some go away or the limit is raised`,
            );
          }
          return;
        }
        // …nor through a symbolic link that points outside them.
        if (!(await isInsideReal(this.roots(), p))) {
          this._onDidSkip.fire({ path: p, reason: 'resolves outside the workspace folders' });
          return;
        }
        // One training run is one run: of an HF output folder's checkpoints, only the final state is read.
        const group = await hfStateFiles(p);
        if (group) {
          const plan = planRunFiles(group);
          const skip = plan.skipped.find((x) => x.path === p);
          if (skip) {
            this.log.info(`not read: ${p}: ${skip.reason}`);
            this.notLogs.add(p);
            return;
          }
          for (const other of group)
            if (other !== p && this.sources.has(other)) {
              this.removed(other);
              this.notLogs.add(other);
            }
        }
        const opened = await openSource(p, this.readers);
        if (!opened.ok) {
          if (opened.reason !== 'not a log') this._onDidSkip.fire({ path: p, reason: opened.reason });
          else {
            this.rememberUnclaimed(p);
            this.notLogs.add(p);
          }
          return;
        }
        this.unclaimed.delete(p);
        this.notLogs.delete(p);
        src = opened.source;
        this.sources.set(p, src);
      }
      let grew = false;
      let reset = false;
      for (;;) {
        const r = await src.poll(SLICE_BYTES);
        grew ||= r.grew;
        reset ||= r.reset;
        if (r.gone) {
          this.removed(p);
          return;
        }
        if (!r.more || this.disposed) break;
        await yieldToLoop();
      }
      // A log counts as growing (for the live-poll safety net) only when it grows after its first read.
      if (grew) this.lastGrowthRead = Date.now();
      if (grew && this.seen.has(p)) {
        this.lastGrowth.set(p, Date.now());
        // Watched natively from its first growth on, not from the next poll.
        if (!this.nativeWatchers.has(p)) this.watchLive(this.recentLive());
      }
      if (grew || reset || !this.seen.has(p)) {
        const first = !this.seen.has(p);
        this.seen.add(p);
        const mtimeMs = first
          ? await fs.stat(p).then(
              (st) => st.mtimeMs,
              () => undefined,
            )
          : undefined;
        this._onDidUpdate.fire({
          path: p,
          result: src.result(),
          grew,
          reset,
          ...(mtimeMs !== undefined ? { mtimeMs } : {}),
        });
      }
    } catch (e) {
      // Sources never throw by contract; this is the last line of defence for the host.
      this.log.error(`reading ${p}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  private readonly seen = new Set<string>();
  /** Files found to be no log: periodic sweeps skip them (their change events still re-check them). */
  private readonly notLogs = new Set<string>();
  private capWarned = false;

  private rememberUnclaimed(p: string): void {
    const prev = this.unclaimed.get(p);
    void fs.stat(p).then(
      (st) => {
        if (this.unclaimed.size >= MAX_UNCLAIMED && !prev) return;
        this.unclaimed.set(p, { size: st.size, since: prev?.since ?? Date.now() });
      },
      () => undefined,
    );
  }

  /** Parse result currently held for a file (or run directory). */
  resultOf(p: string): ParseResult | undefined {
    return this.sources.get(sourceKey(p))?.result();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.liveTimer) clearInterval(this.liveTimer);
    for (const [p, w] of [...this.nativeWatchers]) this.unwatch(p, w);
    for (const w of this.watchers) w.dispose();
    for (const d of this.watcherListeners) d.dispose();
    for (const d of this.disposables) d.dispose();
    for (const s of this.sources.values()) s.dispose?.();
    this.sources.clear();
  }
}

/**
 * The `trainer_state.json` files of the Hugging Face output folder `p` belongs to (the folder's own and every
 * `checkpoint-N/` one), when `p` is one of them and the folder has checkpoints; undefined otherwise.
 */
async function hfStateFiles(p: string): Promise<string[] | undefined> {
  if (path.basename(p) !== 'trainer_state.json') return undefined;
  const outDir = hfCheckpointOf(p)?.outputDir ?? path.dirname(p);
  let entries: Dirent[];
  try {
    entries = await fs.readdir(outDir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const files: string[] = [];
  for (const e of entries) {
    const f =
      e.isDirectory() && /^checkpoint-\d+$/.test(e.name)
        ? path.join(outDir, e.name, 'trainer_state.json')
        : e.name === 'trainer_state.json'
          ? path.join(outDir, e.name)
          : undefined;
    if (
      f &&
      (await fs.access(f).then(
        () => true,
        () => false,
      ))
    )
      files.push(f);
  }
  return files.some((f) => hfCheckpointOf(f)) && files.length > 1 ? files : undefined;
}
