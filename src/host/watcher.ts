/**
 * Watches the workspace's log files: an initial scan (with progress), file-system watchers over the include
 * globs of every workspace folder, and incremental re-reads of files that change. Reads are async and each
 * parse step is bounded (`SLICE_BYTES`), with a yield to the event loop between slices, so a 1 GB log never
 * blocks the extension host for more than a few milliseconds at a time.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ParseResult } from '../ingest/types';
import { openSource, sourceKey, type Source } from './sources';
import type { Config } from './config';

/** Bytes parsed per slice before yielding (≈ 5 ms at 200 MB/s). */
const SLICE_BYTES = 1 << 20;
const DEBOUNCE_MS = 75;
/** Files that grew within this window are also polled on a timer, in case watcher events coalesce or drop. */
const LIVE_POLL_MS = 1000;

export interface FileUpdate {
  path: string;
  result: ParseResult;
  grew: boolean;
  reset: boolean;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export class LogWatcher implements vscode.Disposable {
  private readonly sources = new Map<string, Source>();
  private readonly pending = new Set<string>();
  private readonly lastGrowth = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.FileSystemWatcher[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private liveTimer: ReturnType<typeof setInterval> | undefined;
  private draining: Promise<void> | undefined;
  private disposed = false;
  private readonly _onDidUpdate = new vscode.EventEmitter<FileUpdate>();
  readonly onDidUpdate = this._onDidUpdate.event;
  private readonly _onDidRemove = new vscode.EventEmitter<string>();
  readonly onDidRemove = this._onDidRemove.event;
  private readonly _onDidSkip = new vscode.EventEmitter<{ path: string; reason: string }>();
  readonly onDidSkip = this._onDidSkip.event;

  constructor(private config: Config, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(this._onDidUpdate, this._onDidRemove, this._onDidSkip);
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(() => this.restart()));
    this.liveTimer = setInterval(() => this.pollLive(), LIVE_POLL_MS);
  }

  get trackedPaths(): string[] {
    return [...this.sources.keys()];
  }

  setConfig(c: Config): void {
    const changed = JSON.stringify([c.include, c.exclude, c.maxFiles]) !== JSON.stringify([this.config.include, this.config.exclude, this.config.maxFiles]);
    this.config = c;
    if (changed) void this.restart();
  }

  /** (Re)scans every workspace folder and (re)creates the watchers. Resolves when all found files are read. */
  async restart(): Promise<number> {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const folders = vscode.workspace.workspaceFolders ?? [];
    for (const folder of folders) {
      for (const glob of this.config.include) {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
        w.onDidCreate((u) => this.schedule(u.fsPath), undefined, this.disposables);
        w.onDidChange((u) => this.schedule(u.fsPath), undefined, this.disposables);
        w.onDidDelete((u) => this.removed(u.fsPath), undefined, this.disposables);
        this.watchers.push(w);
      }
    }
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Scaling Lens: scanning logs' },
      async (progress) => {
        const files = await this.find();
        const keep = new Set(files.map(sourceKey));
        for (const p of [...this.sources.keys()]) if (!keep.has(p)) this.removed(p);
        let i = 0;
        for (const f of files) {
          this.pending.add(sourceKey(f));
          if (++i % 50 === 0) progress.report({ message: `${i}/${files.length} files` });
        }
        await this.drain();
        this.log.info(`scan: ${files.length} candidate files, ${this.sources.size} logs tracked`);
        return this.sources.size;
      },
    );
  }

  private async find(): Promise<string[]> {
    const exclude = this.config.exclude.length ? `{${this.config.exclude.join(',')}}` : undefined;
    const out = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const include = this.config.include.length === 1 ? this.config.include[0] : `{${this.config.include.join(',')}}`;
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, include), exclude, this.config.maxFiles + 1);
      for (const u of uris) if (u.scheme === 'file') out.add(u.fsPath);
    }
    const files = [...out].sort();
    if (files.length > this.config.maxFiles) {
      this.log.warn(`more than scalingLens.maxFiles (${this.config.maxFiles}) candidate files; only the first ${this.config.maxFiles} are read`);
      files.length = this.config.maxFiles;
    }
    return files;
  }

  /** Re-reads a file soon (debounced: a burst of appends costs one read). */
  schedule(fsPath: string): void {
    if (this.disposed || !this.inWorkspace(fsPath)) return;
    this.pending.add(sourceKey(fsPath));
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, DEBOUNCE_MS);
  }

  /** Paths from settings or logs never make us read outside the workspace folders. */
  private inWorkspace(fsPath: string): boolean {
    const p = path.resolve(fsPath);
    return (vscode.workspace.workspaceFolders ?? []).some((f) => {
      const root = path.resolve(f.uri.fsPath);
      return p === root || p.startsWith(root + path.sep);
    });
  }

  private removed(fsPath: string): void {
    const key = sourceKey(fsPath);
    const src = this.sources.get(key);
    if (!src) return;
    // A run directory (MLflow) loses one file: re-read the directory instead of dropping the run.
    if (key !== fsPath) { this.schedule(fsPath); return; }
    this.sources.delete(key);
    this.lastGrowth.delete(key);
    this._onDidRemove.fire(key);
  }

  private pollLive(): void {
    const now = Date.now();
    for (const [p, t] of this.lastGrowth) if (now - t < this.config.liveTimeoutSeconds * 1000) this.schedule(p);
  }

  /** Reads every pending file, one slice at a time, yielding between slices. Serialised. */
  drain(): Promise<void> {
    if (this.draining) return this.draining.then(() => (this.pending.size ? this.drain() : undefined));
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
        const opened = await openSource(p);
        if (!opened.ok) {
          if (opened.reason !== 'not a log') this._onDidSkip.fire({ path: p, reason: opened.reason });
          return;
        }
        src = opened.source;
        this.sources.set(p, src);
      }
      let grew = false;
      let reset = false;
      for (;;) {
        const r = await src.poll(SLICE_BYTES);
        grew ||= r.grew;
        reset ||= r.reset;
        if (r.gone) { this.removed(p); return; }
        if (!r.more || this.disposed) break;
        await yieldToLoop();
      }
      if (grew) this.lastGrowth.set(p, Date.now());
      if (grew || reset || !this.seen.has(p)) {
        this.seen.add(p);
        this._onDidUpdate.fire({ path: p, result: src.result(), grew, reset });
      }
    } catch (e) {
      // Sources never throw by contract; this is the last line of defence for the host.
      this.log.error(`reading ${p}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  private readonly seen = new Set<string>();

  /** Parse result currently held for a file (or run directory). */
  resultOf(p: string): ParseResult | undefined {
    return this.sources.get(sourceKey(p))?.result();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.liveTimer) clearInterval(this.liveTimer);
    for (const w of this.watchers) w.dispose();
    for (const d of this.disposables) d.dispose();
    for (const s of this.sources.values()) s.dispose?.();
    this.sources.clear();
  }
}
