/** Tiny CSV readers for the shared data used by the curve/schedule tests (no dependency). */
import * as fs from 'node:fs';
import { shared } from '../helpers/paths';

/** Splits one CSV line, honouring double quotes (no escaped quotes needed for our files). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '',
    q = false;
  for (const ch of line) {
    if (ch === '"') q = !q;
    else if (ch === ',' && !q) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = fs
    .readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  return { header: splitCsvLine(lines[0]), rows: lines.slice(1).map(splitCsvLine) };
}

/** lr-schedules/{size}/{name}.csv → columns step, lr, loss. */
export function readSchedule(path: string): { step: number[]; lr: number[]; loss: number[] } {
  const { header, rows } = readCsv(path);
  const col = (n: string) => header.indexOf(n);
  const [s, l, y] = [col('step'), col('lr'), col('loss')];
  return {
    step: rows.map((r) => Number(r[s])),
    lr: rows.map((r) => Number(r[l])),
    loss: rows.map((r) => Number(r[y])),
  };
}

export interface RevisitingCurve {
  key: string;
  trainX: number[];
  trainY: number[];
  testX: number[];
  testY: number[];
}

/** learning-curves/revisiting_lang.csv (Alabdulmohsin et al. 2022) as 20 curves, de-duplicated, split by `Training`. */
export function loadRevisitingCurves(file = shared('learning-curves', 'revisiting_lang.csv')): RevisitingCurve[] {
  const { header, rows } = readCsv(file);
  const col = (n: string) => header.indexOf(n);
  const seen = new Set<string>();
  const byKey = new Map<string, RevisitingCurve>();
  for (const r of rows) {
    const line = r.join('\u0001');
    if (seen.has(line)) continue; // the file repeats one model's rows exactly: de-duplicate first
    seen.add(line);
    const key = `${r[col('Domain')]} | ${r[col('Task')]} | ${r[col('Model')]}`;
    if (!byKey.has(key)) byKey.set(key, { key, trainX: [], trainY: [], testX: [], testY: [] });
    const c = byKey.get(key)!;
    const x = Number(r[col('Seen Examples')]),
      y = Number(r[col('Loss')]);
    if (r[col('Training')] === '1') {
      c.trainX.push(x);
      c.trainY.push(y);
    } else {
      c.testX.push(x);
      c.testY.push(y);
    }
  }
  return [...byKey.values()];
}
