/**
 * What the watcher tracks: one `Source` per log file, or per run directory for directory formats (an MLflow
 * run is a folder of small files; any change inside it re-reads the run). Pure apart from `node:fs`.
 */
import { IDLE_LAST_LINE_MS, LogFile, parsePath } from '../ingest/incremental';
import type { ParseResult } from '../ingest/types';
import type { Reader } from '../ingest/reader';

export interface SourcePoll {
  grew: boolean;
  reset: boolean;
  gone: boolean;
  more: boolean;
}

export interface Source {
  poll(maxBytes: number): Promise<SourcePoll>;
  result(): ParseResult;
  dispose?(): void;
}

/** `…/mlruns/<exp>/<run>/{metrics,params,tags}/<key>` or `…/mlruns/<exp>/<run>/meta.yaml` → the run folder. */
const MLFLOW_FILE = /^(.*[\\/]mlruns[\\/][^\\/]+[\\/][^\\/]+)[\\/](?:(?:metrics|params|tags)[\\/][^\\/]+|meta\.yaml)$/;

/** The unit a path belongs to: the file itself, or its run directory for directory formats. */
export function sourceKey(path: string): string {
  const m = MLFLOW_FILE.exec(path);
  return m && !/[\\/]mlruns[\\/][^\\/]+$/.test(m[1]) ? m[1] : path;
}

class FileSource implements Source {
  constructor(private readonly f: LogFile) {}
  poll(maxBytes: number): Promise<SourcePoll> {
    return this.f.poll(maxBytes);
  }
  result(): ParseResult {
    return this.f.result();
  }
}

/** A run directory: re-parsed whole on every change (such runs are a handful of small files). */
class DirSource implements Source {
  private last: ParseResult = { runs: [], diagnostics: [] };
  private lastJson = '';
  constructor(private readonly dir: string) {}
  async poll(): Promise<SourcePoll> {
    const r = await parsePath(this.dir);
    if (r.diagnostics.some((d) => d.message === 'path not found'))
      return { grew: false, reset: false, gone: true, more: false };
    const json = JSON.stringify(r.runs.map((x) => [x.id, Object.values(x.metrics).map((s) => s.step.length)]));
    const changed = json !== this.lastJson;
    this.last = r;
    this.lastJson = json;
    return { grew: changed, reset: changed, gone: false, more: false };
  }
  result(): ParseResult {
    return this.last;
  }
}

export type OpenResult = { ok: true; source: Source } | { ok: false; reason: string };

/**
 * Opens a source for a path (file or run directory) after a first read tells whether it is a log at all.
 * A file no reader claims is reported as 'not a log' (it may be claimed later if it grows: the watcher
 * retries on change).
 */
export async function openSource(key: string, readers?: readonly Reader[]): Promise<OpenResult> {
  if (MLFLOW_FILE.test(key) || /[\\/]mlruns[\\/][^\\/]+[\\/][^\\/]+$/.test(key)) {
    const d = new DirSource(key);
    const r = await d.poll();
    return r.gone || !d.result().runs.length ? { ok: false, reason: 'not a log' } : { ok: true, source: d };
  }
  const f = new LogFile(key, { ...(readers ? { readers } : {}), idleLastLineMs: IDLE_LAST_LINE_MS });
  const first = await f.poll(1 << 20);
  if (first.gone) return { ok: false, reason: 'file vanished' };
  if (f.notALog || !f.format) return { ok: false, reason: 'not a log' };
  // Hand back a source whose first poll reports the bytes already read as growth.
  let primed = true;
  const src = new FileSource(f);
  return {
    ok: true,
    source: {
      async poll(maxBytes: number) {
        if (primed) {
          primed = false;
          return { ...first, grew: true };
        }
        return src.poll(maxBytes);
      },
      result: () => src.result(),
    },
  };
}
