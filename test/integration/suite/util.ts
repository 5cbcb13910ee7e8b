import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScalingLensApi } from '../../../src/extension';

export const EXT_ID = 'scaling-lens.scaling-lens';

let warmedUp = false;

export async function api(): Promise<ScalingLensApi> {
  const ext = vscode.extensions.getExtension<ScalingLensApi>(EXT_ID);
  if (!ext) throw new Error('extension not found');
  const a = await ext.activate();
  await a.ready;
  if (!warmedUp) {
    // code-server's file watcher starts a moment after the window: wait until a new log is noticed once, so
    // tests measure the extension, not the watcher's start-up.
    const probe = path.join(scratch('probe'), 'train.log');
    fs.writeFileSync(probe, nanoLines(0, 3));
    const end = Date.now() + 30_000;
    while (!a.controller.model.files.has(probe) && Date.now() < end) {
      await sleep(200);
      fs.appendFileSync(probe, '');
    }
    warmedUp = true;
  }
  return a;
}

export function wsRoot(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder');
  return f.uri.fsPath;
}

/** A fresh folder inside the workspace for one test. */
export function scratch(name: string): string {
  const d = path.join(wsRoot(), 'it-scratch', `${name}-${Date.now()}`);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  ms: number,
  what: string,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Megatron-LM `iteration N/T | … | lm loss: X |` lines for steps from..to every 10, of a planned total. */
export function megatronLines(from: number, to: number, total: number): string {
  let text = '';
  for (let s = from; s <= to; s += 10) {
    text += ` iteration ${String(s).padStart(8)}/${String(total).padStart(8)} | consumed samples: ${s * 128} | elapsed time per iteration (ms): 100.0 | global batch size:   128 | lm loss: ${(2.2 + 6 * s ** -0.35).toExponential(6).toUpperCase()} | loss scale: 1.0 |\n`;
  }
  return text;
}

/** nanoGPT-style lines for iterations [from, to): loss follows 2 + 8·(i+10)^-0.3. */
export function nanoLines(from: number, to: number, nanAt?: number): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const loss = i === nanAt ? 'nan' : (2 + 8 * (i + 10) ** -0.3).toFixed(4);
    s += `iter ${i}: loss ${loss}, time 100.00ms, mfu 30.00%\n`;
  }
  return s;
}

export function points(a: ScalingLensApi, file: string, metric = 'train/loss'): number {
  const f = a.controller.model.files.get(file);
  const run = f ? a.controller.model.runs.get(f.runIds[0]) : undefined;
  return run?.metrics[metric]?.step.length ?? -1;
}

/** A hover as rendered text: MarkdownString.appendText encodes spaces as &nbsp; and escapes markdown syntax. */
export function hoverText(h: vscode.Hover[]): string {
  return h
    .flatMap((x) => x.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n')
    .replace(/&nbsp;/g, ' ')
    .replace(/\\([\\`*_{}[\]()#+\-.!~|])/g, '$1');
}
