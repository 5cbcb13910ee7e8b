/**
 * Runs fits in a `worker_thread` so the extension host's event loop never does numerical work. A transport only:
 * which job runs when (and superseding, timeouts from a job's start) is decided by the FitScheduler
 * (src/model/fitScheduler.ts), which sends one job at a time.
 *
 * Faults: a worker that crashes, exits, hangs (no answer within `timeoutMs` of being sent a job, when set) or
 * answers garbage is terminated and restarted with exponential backoff (0.5 s → 30 s); the jobs it held get a
 * rejected promise with a clear message, and `onHealth` tells the UI.
 */
import { Worker } from 'node:worker_threads';
import type { FitJob, FitJobResult } from '../model/fitJobs';
import { isFitJobResult } from '../model/fitJobs';

export interface FitClientOptions {
  workerPath: string;
  /** Fail (and restart the worker) when a job has no answer this long after it was sent; 0 = never. Default 60 s. */
  timeoutMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void;
  onHealth?: (healthy: boolean, message: string) => void;
}

interface Pending {
  resolve: (r: FitJobResult) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class FitClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
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
    w.on('exit', (code) => {
      if (this.worker === w) this.onCrash(w, `fitting worker exited (code ${code})`);
    });
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

  /** Sends a job to the worker. */
  run(job: FitJob): Promise<FitJobResult> {
    return new Promise<FitJobResult>((resolve, reject) => {
      let w: Worker;
      try {
        w = this.ensure();
      } catch (e) {
        reject(e as Error);
        return;
      }
      const id = this.nextId++;
      const timer = this.timeoutMs > 0 ? setTimeout(() => this.onTimeout(id), this.timeoutMs) : undefined;
      this.pending.set(id, { resolve, reject, timer });
      // A job's own copies of its points (CurveJob.transfer) are moved, not cloned: no second copy on the loop.
      const { transfer, ...rest } = job as FitJob & { transfer?: ArrayBuffer[] };
      if (transfer?.length) w.postMessage({ id, job: rest }, transfer);
      else w.postMessage({ id, job });
    });
  }

  /** Milliseconds until `run` can start a worker again after a fault (0: now). */
  readyIn(): number {
    return this.worker || this.disposed ? 0 : Math.max(0, this.restartAt - Date.now());
  }

  /** Terminates a worker that is stuck in a job (the scheduler's timeout); the next `run` starts a fresh one. */
  restart(reason: string): void {
    if (this.worker) this.onCrash(this.worker, reason);
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
    if (typeof msg.error === 'string') {
      p.reject(new Error(msg.error));
      return;
    }
    if (!isFitJobResult(msg.result)) {
      p.reject(new Error('fitting worker returned a malformed result; restarting it'));
      this.onCrash(w, 'malformed result');
      return;
    }
    if (this.failures) {
      this.failures = 0;
      this.opts.onHealth?.(true, 'fitting worker healthy');
    }
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
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('fit client disposed'));
    }
    this.pending.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
