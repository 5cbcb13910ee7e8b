/**
 * *Fit Table Law…* (issue 15): the table laws — loss → downstream metric (OLMo-ladder sigmoid, Gadre et al.'s
 * exponential), over-training (Gadre et al.), data-constrained scaling (Muennighoff et al.), the Step Law (Li et al.)
 * — fitted in the editor on a CSV of the workspace, as `scaling-lens fit FILE --law ID` does, with bootstrap
 * intervals. The fit runs in the fit worker (a data-constrained fit takes seconds); the result opens as Markdown.
 */
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { parseCsv } from '../fit/csv';
import type { TableLaw } from '../fit/tableLaw';
import { tableLawById } from '../fit/tableLaws';
import { lawsForHeader, tableLawData } from '../fit/tableLawColumns';
import { pauseTurn } from './suggestHyperparameters';

const MAX_BYTES = 1024 * 1024;

export interface TableLawResult {
  law: string;
  file: string;
  n: number;
  /** RMSE of the residuals in the law's residual space. */
  rmse: number;
  params: Record<string, number>;
  intervals: Record<string, [number, number]>;
  derived: Record<string, number>;
  advice?: string;
  published?: { source: string; params: Record<string, number> };
  warnings: string[];
  text: string;
}

async function readTable(uri: vscode.Uri): Promise<{ header: string[]; rows: string[][] } | undefined> {
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > MAX_BYTES) return undefined;
    const t = parseCsv(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    return t.header.length && t.rows.length ? t : undefined;
  } catch {
    return undefined;
  }
}

function num(v: number): string {
  return Number.isFinite(v)
    ? Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3)
      ? v.toExponential(4)
      : v.toPrecision(5)
    : '–';
}

function markdown(
  law: TableLaw,
  file: string,
  r: Omit<TableLawResult, 'text'>,
  columns: { inputs: string[]; y: string },
  notes: string[],
  conf: number,
): string {
  const lines = [
    `# ${law.name}`,
    '',
    `${law.source}`,
    '',
    `$$${law.latex}$$`,
    '',
    `Fitted on \`${file}\`: ${r.n} rows, inputs ${columns.inputs.map((c) => `\`${c}\``).join(', ')}, y \`${columns.y}\`.`,
    '',
    `| parameter | value | ${Math.round(conf * 100)} % interval |`,
    '|---|---|---|',
  ];
  for (const [k, v] of Object.entries(r.params))
    lines.push(
      `| ${k} | ${num(v)} | ${r.intervals[k] ? `${num(r.intervals[k][0])} – ${num(r.intervals[k][1])}` : '–'} |`,
    );
  for (const [k, v] of Object.entries(r.derived)) lines.push(`| ${k} (derived) | ${num(v)} | – |`);
  if (r.published)
    lines.push(
      '',
      `Published (${r.published.source}): ${Object.entries(r.published.params)
        .map(([k, v]) => `${k} = ${v}`)
        .join(', ')}.`,
    );
  if (r.advice) lines.push('', r.advice);
  if (notes.length || r.warnings.length)
    lines.push('', '## Notes and warnings', '', ...[...notes, ...r.warnings].map((w) => `- ${w}`));
  return lines.join('\n') + '\n';
}

/** `scalingLens.fitTableLaw [file] [lawId] [quiet]`: asks what is missing; returns the fit (opens it unless quiet). */
export async function fitTableLawCommand(
  c: Controller,
  fileArg?: unknown,
  lawArg?: unknown,
  quiet?: unknown,
): Promise<TableLawResult | undefined> {
  let uri: vscode.Uri | undefined;
  let table: { header: string[]; rows: string[][] } | undefined;
  if (typeof fileArg === 'string' && fileArg) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    uri =
      /^([a-zA-Z]:)?[\\/]/.test(fileArg) || !folder
        ? vscode.Uri.file(fileArg)
        : vscode.Uri.joinPath(folder.uri, fileArg);
    table = await readTable(uri);
    if (!table) {
      void vscode.window.showWarningMessage(
        `Scaling Lens: ${fileArg} is not a readable CSV table (header and rows, at most 1 MB).`,
      );
      return undefined;
    }
  } else {
    const uris = await vscode.workspace.findFiles('**/*.{csv,tsv}', '**/{node_modules,.git}/**', 300);
    const items: (vscode.QuickPickItem & { uri: vscode.Uri; table: { header: string[]; rows: string[][] } })[] = [];
    for (const u of uris) {
      const t = await readTable(u);
      await pauseTurn();
      const laws = t ? lawsForHeader(t.header) : [];
      if (t && laws.length)
        items.push({
          label: vscode.workspace.asRelativePath(u),
          description: laws.map((l) => l.id).join(', '),
          detail: t.header.join(', '),
          uri: u,
          table: t,
        });
    }
    if (!items.length) {
      void vscode.window.showInformationMessage(
        'Scaling Lens: no CSV in the workspace has the columns of a table law (e.g. loss and acc/err, N,D,loss, N,D,U,loss, or N,D,lr,batch_size,loss).',
      );
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(items, {
      placeHolder: 'Table to fit (one row per model)',
      matchOnDescription: true,
    });
    if (!pick) return undefined;
    uri = pick.uri;
    table = pick.table;
  }
  const candidates = lawsForHeader(table.header);
  let law = typeof lawArg === 'string' ? tableLawById(lawArg) : undefined;
  if (typeof lawArg === 'string' && !law) {
    void vscode.window.showWarningMessage(`Scaling Lens: no table law "${lawArg}".`);
    return undefined;
  }
  if (!law) {
    if (!candidates.length) {
      void vscode.window.showWarningMessage(
        `Scaling Lens: no table law has the columns of this table (${table.header.join(', ')}).`,
      );
      return undefined;
    }
    const pick =
      candidates.length === 1
        ? { law: candidates[0] }
        : await vscode.window.showQuickPick(
            candidates.map((l) => ({ label: l.name, description: l.id, detail: l.source, law: l })),
            { placeHolder: 'Law to fit' },
          );
    if (!pick) return undefined;
    law = pick.law;
  }
  const file = vscode.workspace.asRelativePath(uri);
  const data = tableLawData(law, table.header, table.rows);
  if ('error' in data) {
    void vscode.window.showWarningMessage(`Scaling Lens: ${file}: ${data.error}`);
    return undefined;
  }
  const conf = c.config.confidence;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Scaling Lens: fitting ${law.id}…` },
    async () => {
      let r;
      try {
        r = await c.runJob(`table:${law!.id}:${file}`, {
          kind: 'table',
          law: law!.id,
          inputs: data.inputs,
          y: data.y,
          bootstrap: Math.max(0, c.config.bootstrapSamples),
          confidence: conf,
        });
      } catch (e) {
        return { error: `${law!.id} fit failed: ${(e as Error).message}` };
      }
      const fit = r.kind === 'table' ? r.view : undefined;
      if (!fit?.ok || !fit.params)
        return {
          error: `${law!.id} fit failed: ${fit?.reason ?? 'no answer'}${fit?.warnings?.length ? ` (${fit.warnings.join('; ')})` : ''}`,
        };
      const base = {
        law: law!.id,
        file,
        n: fit.n ?? 0,
        rmse: fit.rmse ?? NaN,
        params: fit.params,
        intervals: fit.intervals ?? {},
        derived: fit.derived ?? {},
        warnings: fit.warnings ?? [],
        ...(fit.advice ? { advice: fit.advice } : {}),
        ...(law!.published ? { published: law!.published } : {}),
      };
      return { ...base, text: markdown(law!, file, base, data.columns, data.notes, conf) };
    },
  );
  if ('error' in result) {
    void vscode.window.showWarningMessage(`Scaling Lens: ${result.error}`);
    return undefined;
  }
  c.log.info(
    `Fit Table Law: ${result.law} on ${file}: ${Object.entries(result.params)
      .map(([k, v]) => `${k}=${v.toPrecision(4)}`)
      .join(', ')}`,
  );
  if (quiet !== true) {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.text });
    await vscode.window.showTextDocument(doc, { preview: true });
  }
  return result;
}
