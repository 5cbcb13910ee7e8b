/**
 * The dashboard webview panel: one per window, restored after a reload by a WebviewPanelSerializer.
 * Sends the full state when the webview (re)loads or becomes visible, then only increments while visible
 * (hidden panels are marked stale and get a fresh `init` when shown again). Every message from the webview
 * is validated by `parseWebviewMessage`; invalid ones are logged and dropped.
 *
 * Bounded work for the webview whatever the workspace holds: increments are collected and posted once per frame
 * as one coalesced `batch` (src/model/outbox.ts); points, series and curve fits go only to the charted runs (at
 * most `CHART_MAX`: selected, pinned, live, most recent — src/model/chartSet.ts); every run's summary still goes
 * to the run list, where the user picks what to chart.
 */
import * as vscode from 'vscode';
import { column, parseWebviewMessage, type HostMessage, type WebviewMessage } from '../protocol';
import { dashboardHtml, makeNonce } from './dashboardHtml';
import type { Controller } from './controller';
import { exportCsv, lawMarkdown, lawLatex } from './exporters';
import { countedTimeout, track } from './liveCount';
import { Outbox } from '../model/outbox';
import { MessageLog } from '../model/messageLog';
import { chartCandidates, chooseCharted, filterMatcher, sameSet, togglePin, CHART_MAX } from '../model/chartSet';
import { tokensForSteps } from '../model/runModel';
import { computeLawViews } from './lawViews';

/** Increments are posted at most this often (one batch per frame). */
const FLUSH_MS = 16;
/** The charted set is recomputed at most this often while runs come and go (a scan). */
const CHART_SYNC_MS = 250;
/** An increment of a charted series larger than this is sent as a decimated `series` instead of raw points. */
const MAX_RAW_POINTS = 4000;

export const DASHBOARD_VIEW_TYPE = 'scalingLens.dashboard';

export class Dashboard implements vscode.Disposable {
  static current: Dashboard | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private stale = false;
  private ready = false;
  private readonly sent: MessageLog<HostMessage>;
  private readonly received: MessageLog<WebviewMessage>;
  private rejected = 0;
  private nextPing = 1;
  private readonly outbox = new Outbox();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Runs whose series the webview holds (as last told with `init` or `charted`). */
  private charted = new Set<string>();
  private chartDirty = false;
  private lastChartSync = 0;
  private posts = 0;
  private fullGen = 0;
  private disposed = false;
  private readonly pings = new Map<
    number,
    { t0: number; done: (r: PingResult | undefined) => void; cancel: () => void }
  >();

  /** What tests and the benchmark observe (see DashboardProbe); the extension itself never reads it. */
  readonly probe: DashboardProbe;

  static show(context: vscode.ExtensionContext, controller: Controller, runId?: string): Dashboard {
    if (Dashboard.current) {
      Dashboard.current.panel.reveal(undefined, false);
    } else {
      const panel = vscode.window.createWebviewPanel(
        DASHBOARD_VIEW_TYPE,
        'Scaling Lens',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        Dashboard.webviewOptions(context),
      );
      Dashboard.current = new Dashboard(panel, context, controller);
    }
    if (runId) Dashboard.current.focusRun(runId);
    return Dashboard.current;
  }

  static webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [
        vscode.Uri.joinPath(context.extensionUri, 'dist'),
        vscode.Uri.joinPath(context.extensionUri, 'media'),
      ],
      retainContextWhenHidden: false,
    };
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly controller: Controller,
  ) {
    const record = context.extensionMode === vscode.ExtensionMode.Production ? 0 : 1;
    this.sent = new MessageLog(record * 4000);
    this.received = new MessageLog(record * 1000);
    const rejected = () => this.rejected,
      posts = () => this.posts,
      charted = () => [...this.charted];
    this.probe = {
      sent: this.sent,
      received: this.received,
      get rejected() {
        return rejected();
      },
      get posts() {
        return posts();
      },
      get charted() {
        return charted();
      },
      get visible() {
        return panel.visible;
      },
      ping: (t) => this.ping(t),
    };
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.svg');
    panel.webview.options = Dashboard.webviewOptions(context);
    panel.webview.html = this.html();
    this.disposables.push(
      track('dashboard.instance', { dispose: () => undefined }),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.stale && this.ready) this.sendFull();
      }),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      controller.onDidAppend((incs) => {
        for (const i of incs) {
          if (!this.charted.has(i.runId)) continue; // not drawn: the run list gets the summary
          if (i.reset || i.step.length > MAX_RAW_POINTS) {
            // A re-read log, or a burst too big to draw raw: the whole series again, decimated (a long one thinned
            // between event-loop turns first; it then holds whatever arrived meanwhile, and later points follow raw).
            const send = () => {
              const series = controller.seriesData(i.runId, i.metric);
              if (series && !this.disposed) this.post({ type: 'series', series });
            };
            const pending = controller.prepareSeries([i.runId]);
            if (pending) void pending.then(send);
            else send();
            continue;
          }
          const run = controller.model.runs.get(i.runId);
          const tokens = run ? tokensForSteps(run, i.step) : undefined;
          this.post({
            type: 'points',
            runId: i.runId,
            metric: i.metric,
            step: column(i.step),
            y: column(i.y),
            ...(i.time ? { time: column(i.time) } : {}),
            ...(tokens ? { tokens: column(tokens) } : {}),
          });
        }
      }),
      controller.onDidChangeRuns((ids) => {
        for (const id of ids) {
          const r = controller.model.runs.get(id);
          this.post(
            r
              ? { type: 'run', run: controller.model.summary(r, controller.options.metric) }
              : { type: 'removeRun', runId: id },
          );
        }
        this.markChartDirty();
      }),
      controller.onDidFit((f) => {
        if (f.curve && this.charted.has(f.curve.runId)) this.post({ type: 'curveFit', fit: f.curve });
        if (f.sweep) this.post({ type: 'sweepFit', fit: f.sweep });
      }),
      controller.onDidChangeStatus((text) => this.post({ type: 'status', text })),
      controller.onDidChangeTarget((value) => {
        this.post({ type: 'targetLoss', value });
        // Fit details show steps-to-target from the charted runs' fits (their forecasts were re-targeted).
        for (const fit of controller.curveFits.values())
          if (this.charted.has(fit.runId)) this.post({ type: 'curveFit', fit });
      }),
    );
  }

  private html(): string {
    const w = this.panel.webview;
    const asset = (...p: string[]) => w.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...p)).toString();
    return dashboardHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: asset('dist', 'webview.js'),
      elementsUri: asset('dist', 'vscode-elements.js'),
      styleUri: asset('media', 'dashboard.css'),
      katexStyleUri: asset('dist', 'katex', 'katex.min.css'),
      title: 'Scaling Lens',
    });
  }

  /** Queues a message for the next flush when the webview can show it; otherwise remembers to send the full state later. */
  private post(m: HostMessage): void {
    if (!this.ready || !this.panel.visible) {
      this.stale = true;
      return;
    }
    this.outbox.push(m);
    this.scheduleFlush();
  }

  private scheduleFlush(delay = FLUSH_MS): void {
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), delay);
  }

  /** Posts what was queued since the last flush as one message (a `batch` when there are several). */
  private flush(): void {
    this.flushTimer = undefined;
    if (!this.ready || !this.panel.visible) {
      this.outbox.clear();
      this.stale = true;
      return;
    }
    this.syncCharted();
    const msgs = this.outbox.take();
    if (!msgs.length) return;
    for (const m of msgs) this.sent.record(m);
    this.posts++;
    void this.panel.webview.postMessage(
      msgs.length === 1 ? msgs[0] : ({ type: 'batch', messages: msgs } satisfies HostMessage),
    );
  }

  private markChartDirty(now = false): void {
    this.chartDirty = true;
    if (now) this.lastChartSync = 0;
    if (this.ready && this.panel.visible) this.scheduleFlush();
  }

  /** The runs to draw now (see src/model/chartSet.ts). */
  chartedRuns(): string[] {
    const c = this.controller;
    return chooseCharted(
      chartCandidates(c.model),
      c.options.selectedRun,
      c.options.pinned ?? [],
      CHART_MAX,
      filterMatcher(c.model, c.options.filter),
    );
  }

  /** Tells the webview when the charted set changed, with the series and fits of the runs that joined it. */
  private syncCharted(): void {
    if (!this.chartDirty) return;
    const wait = this.lastChartSync + CHART_SYNC_MS - Date.now();
    if (wait > 0) {
      this.scheduleFlush(wait);
      return;
    }
    this.chartDirty = false;
    this.lastChartSync = Date.now();
    const next = this.chartedRuns();
    if (sameSet(next, [...this.charted])) return;
    const added = next.filter((id) => !this.charted.has(id));
    // Long series of the joining runs are thinned between event-loop turns first; the charted set changes after.
    const pending = this.controller.prepareSeries(added);
    if (pending) {
      this.chartDirty = true;
      void pending.then(() => this.markChartDirty(true));
      return;
    }
    this.charted = new Set(next);
    this.controller.setFocusRuns(next);
    this.outbox.push({ type: 'charted', runIds: next });
    for (const id of added) {
      for (const series of this.controller.seriesOfRun(id)) this.outbox.push({ type: 'series', series });
      for (const fit of this.controller.curveFits.values())
        if (fit.runId === id) this.outbox.push({ type: 'curveFit', fit });
    }
  }

  private sendFull(): void {
    const charted = this.chartedRuns();
    // Long series are thinned between event-loop turns first (no synchronous work over ~20 ms on the host); the
    // latest request posts once they are cached.
    const gen = ++this.fullGen;
    const pending = this.controller.prepareSeries(charted);
    if (pending) {
      void pending.then(() => {
        if (gen === this.fullGen && !this.disposed) this.sendFull();
      });
      return;
    }
    this.stale = false;
    this.charted = new Set(charted);
    this.controller.setFocusRuns(charted);
    this.chartDirty = false;
    this.lastChartSync = Date.now();
    this.post({ type: 'init', state: this.controller.fullState(charted) });
  }

  /**
   * Round trip through the webview: resolves once the webview has handled everything posted before the ping and
   * drawn the next frame (undefined when the panel is hidden, not loaded yet, closed, or after `timeoutMs`).
   */
  private ping(timeoutMs = 30_000): Promise<PingResult | undefined> {
    if (!this.ready || !this.panel.visible) return Promise.resolve(undefined);
    const id = this.nextPing++;
    return new Promise((resolve) => {
      // A ping can be lost (posted while the webview reloads after being hidden, or dropped with the outbox while
      // hidden): it is re-posted every 2 s until answered; the webview answers each, the first pong counts.
      let resend: () => void = () => {};
      const again = () => {
        this.post({ type: 'ping', id });
        resend = countedTimeout('dashboard.pingResend', again, 2000);
      };
      const done = (r: PingResult | undefined) => {
        const p = this.pings.get(id);
        if (!p) return;
        this.pings.delete(id);
        p.cancel();
        resend();
        resolve(r);
      };
      this.pings.set(id, {
        t0: performance.now(),
        done,
        cancel: countedTimeout('dashboard.pingTimer', () => done(undefined), timeoutMs),
      });
      again();
    });
  }

  focusRun(runId: string): void {
    this.controller.setOptions({ selectedRun: runId, tab: 'runs' });
    this.post({ type: 'options', options: { selectedRun: runId, tab: 'runs' } });
    this.markChartDirty(true);
  }

  /** Entry point of every webview message (public so integration tests can inject hostile ones). */
  receive(raw: unknown): void {
    const m = parseWebviewMessage(raw);
    if (!m) {
      this.rejected++;
      let preview: string;
      try {
        preview = JSON.stringify(raw)?.slice(0, 200) ?? String(raw);
      } catch {
        preview = '[unserialisable]';
      }
      this.controller.log.warn(`dashboard: dropped an invalid message from the webview: ${preview}`);
      return;
    }
    this.received.record(m);
    void this.handle(m).catch((e) => this.controller.log.error(`dashboard: ${m.type} failed: ${(e as Error).message}`));
  }

  private async handle(m: WebviewMessage): Promise<void> {
    const c = this.controller;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendFull();
        return;
      case 'setOptions':
        c.setOptions(m.options);
        if (m.options.selectedRun !== undefined || m.options.filter !== undefined) this.markChartDirty(true);
        return;
      case 'selectRun':
        if (c.model.runs.has(m.runId)) {
          c.setOptions({ selectedRun: m.runId });
          this.markChartDirty(true);
        }
        return;
      case 'setTargetLoss':
        await vscode.commands.executeCommand('scalingLens.setTargetLoss', m.value);
        return;
      case 'togglePin': {
        if (!c.model.runs.has(m.runId)) return;
        const pinned = togglePin(c.options.pinned ?? [], m.runId);
        c.setOptions({ pinned });
        this.post({ type: 'options', options: { pinned } });
        this.markChartDirty(true);
        return;
      }
      case 'toggleExclude':
        if (c.model.runs.has(m.runId) || c.model.sweepPoints().some((p) => p.runId === m.runId))
          c.setExcluded(m.runId, !c.model.excluded.has(m.runId));
        return;
      case 'predict':
        await c.predictSweep({ axis: m.axis, value: m.value });
        return;
      case 'revealLog': {
        const run = c.model.runs.get(m.runId);
        if (run) await vscode.commands.executeCommand('scalingLens.revealLog', m.runId);
        return;
      }
      case 'exportPng': {
        const uri = await vscode.window.showSaveDialog({
          defaultUri: defaultSaveUri(m.name.endsWith('.png') ? m.name : `${m.name}.png`),
          filters: { 'PNG image': ['png'] },
        });
        if (!uri) return;
        const data = Buffer.from(m.dataUrl.slice('data:image/png;base64,'.length), 'base64');
        await vscode.workspace.fs.writeFile(uri, data);
        void vscode.window.showInformationMessage(`Chart saved to ${vscode.workspace.asRelativePath(uri)}`);
        return;
      }
      case 'exportCsv': {
        const uri = await vscode.window.showSaveDialog({
          defaultUri: defaultSaveUri('scaling-lens-points.csv'),
          filters: { CSV: ['csv'] },
        });
        if (!uri) return;
        await vscode.workspace.fs.writeFile(uri, Buffer.from(exportCsv(c), 'utf8'));
        void vscode.window.showInformationMessage(
          `Points and predictions saved to ${vscode.workspace.asRelativePath(uri)}`,
        );
        return;
      }
      case 'copyLaw': {
        const text = m.format === 'latex' ? lawLatex(c) : lawMarkdown(c);
        if (!text) {
          void vscode.window.showWarningMessage('Scaling Lens: no fitted law to copy yet.');
          return;
        }
        await vscode.env.clipboard.writeText(text);
        void vscode.window.showInformationMessage(
          `Fitted law copied as ${m.format === 'latex' ? 'LaTeX' : 'Markdown'}.`,
        );
        return;
      }
      case 'error':
        c.log.error(`dashboard webview: ${m.message}`);
        return;
      case 'requestLawViews': {
        // issue 15: downstream metrics and the LR × batch landscape
        const v = await computeLawViews(c);
        this.post({ type: 'downstream', view: v.downstream });
        this.post({ type: 'hpLandscape', view: v.hp });
        return;
      }
      case 'pong': {
        const p = this.pings.get(m.id);
        p?.done({ ms: performance.now() - p.t0, drawMs: m.drawMs });
        return;
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.outbox.clear();
    if (Dashboard.current === this) Dashboard.current = undefined;
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    for (const p of [...this.pings.values()]) p.done(undefined);
    this.panel.dispose();
  }
}

/**
 * The dashboard as tests and the benchmark observe it — one named interface for every test hook, so production
 * code reads none of it: the messages posted to the webview and those received after validation (recorded only
 * in development and test mode; users' hosts record nothing, see MessageLog), how many were rejected, how many
 * posts were made (a batch counts once), and a round trip through the webview.
 */
export interface DashboardProbe {
  readonly sent: MessageLog<HostMessage>;
  readonly received: MessageLog<WebviewMessage>;
  readonly rejected: number;
  readonly posts: number;
  /**
   * The runs the webview was last told to chart (`init` or `charted`): read here rather than from `sent`, whose
   * bounded record may have dropped those messages after thousands of run summaries.
   */
  readonly charted: readonly string[];
  /** Whether the panel is shown (a hidden panel's ping resolves undefined at once). */
  readonly visible: boolean;
  ping(timeoutMs?: number): Promise<PingResult | undefined>;
}

/** A ping's round trip (host → webview → host) and the webview's last chart redraw time, in ms. */
export interface PingResult {
  ms: number;
  drawMs: number;
}

function defaultSaveUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, name) : undefined;
}

export class DashboardSerializer implements vscode.WebviewPanelSerializer {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly controller: Controller,
  ) {}
  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    Dashboard.current?.dispose();
    Dashboard.current = new Dashboard(panel, this.context, this.controller);
  }
}
