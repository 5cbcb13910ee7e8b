/**
 * Hover predictions in log files: hovering a line that carries a metric shows its value, the run's predicted
 * value at the planned final step with its interval, the steps (and time) to reach the target loss when one is
 * set, the law used, and a link that opens the dashboard on that run. Work per hover is bounded: only the
 * hovered line and up to 64 lines before it are parsed, whatever the size of the log.
 */
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { readerFor } from '../ingest/registry';
import { pointsOnLine, type LinePoint } from '../model/locate';
import { duration, lowerText, shortNumber, STATE_LABEL } from '../model/format';
import { targetBandText } from '../shared/format';
import type { Run } from '../ingest/types';

/** Appends untrusted text: markdown syntax escaped by `appendText`, and angle brackets as entities. */
function text(md: vscode.MarkdownString, s: string): vscode.MarkdownString {
  return md.appendText(s.replace(/</g, '\u2039').replace(/>/g, '\u203a'));
}

export class LogHoverProvider implements vscode.HoverProvider {
  constructor(private readonly controller: Controller) {}

  /** Runs read from this document's file. */
  private runsOf(doc: vscode.TextDocument): Run[] {
    const f = this.controller.model.files.get(doc.uri.fsPath);
    return f ? f.runIds.map((id) => this.controller.model.runs.get(id)).filter((r): r is Run => !!r) : [];
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const runs = this.runsOf(doc);
    if (!runs.length) return undefined;
    const run = runs[0];
    const reader = readerFor(run.format);
    let points: LinePoint[] = [];
    if (reader?.kind === 'text') {
      points = pointsOnLine(reader, doc.uri.fsPath, (i) => doc.lineAt(i).text, pos.line + 1);
      if (!points.length) return undefined;
    } else if (!/loss/i.test(doc.lineAt(pos.line).text)) {
      return undefined;
    }
    return new vscode.Hover(this.content(run, points), doc.lineAt(pos.line).range);
  }

  content(run: Run, points: LinePoint[]): vscode.MarkdownString {
    const c = this.controller;
    // Only our own command may run from this hover; everything from the log is appended as escaped text.
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['scalingLens.openRunInDashboard'] };
    md.supportHtml = false;
    const summary = c.model.summary(run, c.options.metric);
    text(md.appendMarkdown('$(graph-line) **Scaling Lens** · '), summary.label)
      .appendText(` · ${STATE_LABEL[summary.state]}`)
      .appendMarkdown('\n\n');
    const shown = points.slice(0, 6);
    for (const p of shown) {
      text(md, p.metric).appendText(
        ` = ${Number.isFinite(p.value) ? p.value.toPrecision(5) : String(p.value)} at step ${p.step}`,
      );
      if (p.originalName !== p.metric) text(md, ` (“${p.originalName}”)`);
      md.appendMarkdown('  \n');
    }
    if (points.length > shown.length)
      md.appendText(`… and ${points.length - shown.length} more`).appendMarkdown('  \n');
    const f = c.forecast(run.id);
    const fit = c.curveFits.get(run.id);
    if (f) {
      const conf = Math.round(c.config.confidence * 100);
      md.appendMarkdown(f.hypothetical ? '\n**If continued** ' : '\n**Predicted** ')
        .appendText(
          `${f.metric} at step ${f.atStep.toLocaleString('en-US')} (${f.basis ?? (run.meta.totalSteps ? 'planned end' : 'horizon')}): `,
        )
        .appendMarkdown(`**${f.value.toPrecision(4)}**`)
        .appendText(` (${conf}%: ${lowerText(f.value, f.lower)} – ${f.upper.toPrecision(4)})`)
        .appendMarkdown('  \n');
      if (c.config.targetLoss !== null) {
        const band = targetBandText(f.stepToTargetBand);
        if (f.stepToTarget === null || f.stepToTarget === undefined)
          md.appendText(
            `Target ${c.config.targetLoss}: not reached within the forecast horizon` +
              (f.stepToTargetBand?.[0] != null
                ? ` (the band's lower end reaches it at step ~${shortNumber(f.stepToTargetBand[0])})`
                : ''),
          );
        else {
          const last = summary.lastStep ?? 0;
          const spp = f.etaSeconds != null && f.atStep > last ? f.etaSeconds / (f.atStep - last) : undefined;
          md.appendText(
            `Target ${c.config.targetLoss}: reached at step ~${shortNumber(f.stepToTarget)}` +
              (spp !== undefined && f.stepToTarget > last
                ? ` (in ~${duration((f.stepToTarget - last) * spp)})`
                : f.stepToTarget <= last
                  ? ' (already reached)'
                  : '') +
              (band ? `; ${conf}% band: step ${band}` : ''),
          );
        }
        md.appendMarkdown('  \n');
      }
      if (f.etaSeconds != null)
        md.appendText(`ETA to step ${f.atStep}: ${duration(f.etaSeconds)}`).appendMarkdown('  \n');
      md.appendText(`Law: ${f.lawName}`).appendMarkdown('  \n');
      if (f.method && f.method !== f.lawName) md.appendText(`Forecast by: ${f.method}`).appendMarkdown('  \n');
      md.appendText(`LR schedule: ${f.schedule ?? 'continuation as logged'}`).appendMarkdown('  \n');
      md.appendText(`Sweep prior: ${f.sweepPrior ?? 'none'}`).appendMarkdown('  \n');
      if (f.epochs) md.appendText(`Epochs: ${f.epochs}`).appendMarkdown('  \n');
    } else if (fit?.ok && fit.noForecast) {
      md.appendMarkdown('\n')
        .appendText(
          summary.lastValue !== undefined
            ? `Final ${summary.metric ?? 'value'}: ${summary.lastValue.toPrecision(4)} at step ${summary.lastStep ?? '?'}`
            : 'No final value',
        )
        .appendMarkdown('  \n');
      text(md, `No forecast: ${fit.noForecast}`).appendMarkdown('  \n');
    } else if (fit && !fit.ok) {
      md.appendMarkdown('\n')
        .appendText(`No forecast: ${fit.reason ?? 'fit failed'}`)
        .appendMarkdown('  \n');
    } else {
      md.appendMarkdown('\n').appendText('Forecast pending…').appendMarkdown('  \n');
    }
    const args = encodeURIComponent(JSON.stringify([run.id]));
    md.appendMarkdown(
      `\n[$(link-external) Open in dashboard](command:scalingLens.openRunInDashboard?${args} "Open this run in the Scaling Lens dashboard")`,
    );
    return md;
  }
}
