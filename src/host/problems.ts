/**
 * Problems on log lines: NaN/inf divergence, loss spikes and over-fitting (src/model/anomalies.ts), plus the
 * readers' own diagnostics (truncated records, bad CRCs, …). Points are mapped back to log lines by the
 * fitting worker (it re-parses the file off the event loop).
 */
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { advanceAnomalyScans, findAnomalies, type Anomaly, type SeriesScan } from '../model/anomalies';
import { yieldToLoop, type FileUpdate } from './watcher';
import { PRIORITY } from '../model/fitScheduler';

const MAX_READER_DIAGNOSTICS = 100;
/**
 * Points of each loss series checked per event-loop turn (~1.3 µs a point: a few ms). A live log at thousands of
 * lines a second, or a big log's first check, is read in slices between turns, never in one block.
 */
const SCAN_SLICE_POINTS = 5000;
/** Anomalies listed per file (divergences first, then spike events, then the rest); one line says how many more. */
export const MAX_ANOMALIES_PER_FILE = 25;

export class Problems implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('scalingLens');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  /** Fingerprint of the anomalies last located per file, so unchanged files are not re-located. */
  private readonly fingerprints = new Map<string, string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per run: where the anomaly scan of each loss series stopped (a live log is rescanned from there only). */
  private readonly scans = new Map<string, Map<string, SeriesScan>>();

  constructor(private readonly controller: Controller) {
    this.disposables.push(
      controller.onDidUpdateFile((u) => this.schedule(u)),
      controller.watcher.onDidRemove((p) => {
        this.collection.delete(vscode.Uri.file(p));
        this.fingerprints.delete(p);
      }),
      controller.onDidRemoveRuns((ids) => {
        for (const id of ids) this.scans.delete(id);
      }),
    );
  }

  private schedule(u: FileUpdate): void {
    if (this.timers.has(u.path)) return;
    this.timers.set(
      u.path,
      setTimeout(() => {
        this.timers.delete(u.path);
        void this.update(u.path);
      }, 1000),
    );
  }

  async update(path: string): Promise<void> {
    const c = this.controller;
    const file = c.model.files.get(path);
    if (!file) return;
    if (!c.config.diagnosticsEnabled) {
      this.collection.delete(vscode.Uri.file(path));
      return;
    }
    const diags: vscode.Diagnostic[] = [];
    const anomalies: { runId: string; a: Anomaly }[] = [];
    let dropped = 0;
    for (const id of file.runIds) {
      let scans = this.scans.get(id);
      if (!scans) this.scans.set(id, (scans = new Map()));
      // The run is looked up again after each turn: it may have grown, been re-read or gone meanwhile.
      let run;
      while ((run = c.model.runs.get(id)) && !advanceAnomalyScans(run.metrics, scans, SCAN_SLICE_POINTS)) {
        await yieldToLoop();
        if (this.disposed) return;
      }
      if (!run) continue;
      const found = findAnomalies(run.metrics, scans);
      c.model.setProblems(id, found.length);
      for (const a of found) anomalies.push({ runId: id, a });
      for (const sc of scans.values()) dropped += sc.dropped;
    }
    // A cap per file: the divergence first (the news), then spike events in order.
    const rank = (a: Anomaly) => (a.kind === 'divergence' ? 0 : a.kind === 'spike' ? 1 : 2);
    anomalies.sort((x, y) => rank(x.a) - rank(y.a) || x.a.step - y.a.step);
    if (anomalies.length > MAX_ANOMALIES_PER_FILE) dropped += anomalies.splice(MAX_ANOMALIES_PER_FILE).length;
    const fp =
      anomalies.map(({ runId, a }) => `${runId}:${a.kind}:${a.metric}:${a.index}:${a.toStep ?? ''}`).join('|') +
      `#${file.diagnostics.length}#${dropped}`;
    if (this.fingerprints.get(path) === fp) return;
    this.fingerprints.set(path, fp);
    // Locate lines in the worker, grouped by (run, metric).
    const lineOf = new Map<string, number>();
    /** Binary logs: the byte offset of the record of each point (they have no lines to point to). */
    const recordOf = new Map<string, number>();
    const groups = new Map<string, { runId: string; metric: string; indices: number[] }>();
    for (const { runId, a } of anomalies) {
      const k = `${runId}\0${a.metric}`;
      const g = groups.get(k) ?? { runId, metric: a.metric, indices: [] };
      g.indices.push(a.index);
      groups.set(k, g);
    }
    for (const [k, g] of groups) {
      const run = c.model.runs.get(g.runId);
      if (!run) continue;
      try {
        const r = await c.runJob(
          `locate:${path}\0${k}`,
          { kind: 'locate', path, format: run.format, runId: g.runId, metric: g.metric, indices: g.indices },
          PRIORITY.live,
        );
        if (r.kind === 'locate') {
          for (const [i, line] of r.lines) lineOf.set(`${k}\0${i}`, line);
          for (const [i, off] of r.offsets ?? []) recordOf.set(`${k}\0${i}`, off);
        }
      } catch (e) {
        c.log.warn(`locating problems in ${c.relativize(path)}: ${(e as Error).message}`);
      }
    }
    for (const { runId, a } of anomalies) {
      const line = lineOf.get(`${runId}\0${a.metric}\0${a.index}`);
      const record = recordOf.get(`${runId}\0${a.metric}\0${a.index}`);
      const range = new vscode.Range(
        Math.max(0, (line ?? 1) - 1),
        0,
        Math.max(0, (line ?? 1) - 1),
        Number.MAX_SAFE_INTEGER,
      );
      const where = line
        ? ''
        : record !== undefined
          ? ` (binary log: the record at byte ${record.toLocaleString('en-US')})`
          : ' (line not located)';
      const d = new vscode.Diagnostic(
        range,
        `${a.message}${where}`,
        a.kind === 'divergence' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      d.source = 'Scaling Lens';
      d.code = a.kind;
      diags.push(d);
    }
    if (dropped) {
      const d = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, Number.MAX_SAFE_INTEGER),
        `${dropped} more training-health problem${dropped > 1 ? 's' : ''} in this log not listed (at most ${MAX_ANOMALIES_PER_FILE} per file)`,
        vscode.DiagnosticSeverity.Information,
      );
      d.source = 'Scaling Lens';
      diags.push(d);
    }
    for (const rd of file.diagnostics.slice(0, MAX_READER_DIAGNOSTICS)) {
      const line = Math.max(0, (rd.line ?? 1) - 1);
      const d = new vscode.Diagnostic(
        new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
        rd.offset !== undefined ? `${rd.message} (byte ${rd.offset})` : rd.message,
        rd.severity === 'error' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
      );
      d.source = 'Scaling Lens (reader)';
      diags.push(d);
    }
    if (c.model.files.has(path)) this.collection.set(vscode.Uri.file(path), diags);
  }

  private disposed = false;

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
