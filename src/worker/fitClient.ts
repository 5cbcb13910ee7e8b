/**
 * Runs fits in a `worker_thread` so the extension host's event loop never does numerical work.
 * One request at a time per job key is enough for us; newer requests for the same key supersede older ones
 * (a live run refits as points arrive: only the latest matters).
 *
 * Faults: a worker that crashes, exits, hangs (no answer within `timeoutMs`) or answers garbage is
 * terminated and restarted with exponential backoff (0.5 s → 30 s); callers get a rejected promise with a clear
 * message, and `onDidChangeHealth` tells the UI.
 */
import { Worker } from 'node:worker_threads';
import type { FitJob, FitJobResult } from '../model/fitJobs';
import { isFitJobResult } from '../model/fitJobs';

export interface FitClientOptions {
  workerPath: string;
  timeoutMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void;
  onHealth?: (healthy: boolean, message: string) => void;
}

interface Pending {
  resolve: (r: FitJobResult) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  key: string;
}

export class FitClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly latestByKey = new Map<string, number>();
  private failures = 0;
  private restartAt = 0;
  private disposed = false;
  readonly timeoutMs: number;
  /** For tests and the output channel. */
  restarts = 0;

  constructor(private readonly opts: FitClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  private spawn(): Worker {
    const w = new Worker(this.opts.workerPath, { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    w.on('message', (m: unknown) => this.onMessage(w, m));
    w.on('error', (e) => this.onCrash(w, `fitting worker crashed: ${e.message}`));
    w.on('exit', (code) => { if (this.worker === w) this.onCrash(w, `fitting worker exited (code ${code})`); });
    w.unref();
    return w;
  }

  private ensure(): Worker {
    if (this.disposed) throw new Error('fit client disposed');
    if (!this.worker) {
      const wait = this.restartAt - Date.now();
      if (wait > 0) throw new Error(`fitting worker restarting (next try in ${Math.ceil(wait / 1000)} s)`);
      this.worker = this.spawn();
    }
    return this.worker;
  }

  /** Runs a job. `key` identifies what it computes: a newer job with the same key makes older answers stale. */
  run(job: FitJob, key: string = job.kind): Promise<FitJobResult> {
    return new Promise<FitJobResult>((resolve, reject) => {
      let w: Worker;
      try { w = this.ensure(); } catch (e) { reject(e as Error); return; }
      const id = this.nextId++;
      this.latestByKey.set(key, id);
      const timer = setTimeout(() => this.onTimeout(id), this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer, key });
      w.postMessage({ id, job });
    });
  }

  /** True if a newer job with the same key was submitted after the one with this id. */
  isStale(key: string, id: number): boolean {
    return (this.latestByKey.get(key) ?? id) > id;
  }

  private onMessage(w: Worker, m: unknown): void {
    if (w !== this.worker) return;
    const msg = m as { id?: unknown; result?: unknown; error?: unknown };
    const p = typeof msg?.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!p) {
      this.opts.log?.('warn', 'fitting worker sent an unexpected message; ignored');
      return;
    }
    this.pending.delete(msg.id as number);
    clearTimeout(p.timer);
    if (typeof msg.error === 'string') { p.reject(new Error(msg.error)); return; }
    if (!isFitJobResult(msg.result)) {
      p.reject(new Error('fitting worker returned a malformed result; restarting it'));
      this.onCrash(w, 'malformed result');
      return;
    }
    if (this.failures) { this.failures = 0; this.opts.onHealth?.(true, 'fitting worker healthy'); }
    p.resolve(msg.result);
  }

  private onTimeout(id: number): void {
    const p = this.pending.get(id);
    if (!p || !this.worker) return;
    this.onCrash(this.worker, `fit did not finish within ${+(this.timeoutMs / 1000).toFixed(1)} s`);
  }

  private onCrash(w: Worker, reason: string): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    void w.terminate().catch(() => undefined);
    this.failures++;
    this.restarts++;
    const backoff = Math.min(30_000, 500 * 2 ** (this.failures - 1));
    this.restartAt = Date.now() + backoff;
    const msg = `${reason}; restarting in ${(backoff / 1000).toFixed(1)} s`;
    this.opts.log?.('error', msg);
    this.opts.onHealth?.(false, msg);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
      this.pending.delete(id);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.pending.values()) { clearTimeout(p.timer); p.reject(new Error('fit client disposed')); }
    this.pending.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
