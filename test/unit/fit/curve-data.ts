/** Tiny CSV readers for the shared data used by the curve/schedule tests (no dependency). */
import * as fs from 'node:fs';

/** Splits one CSV line, honouring double quotes (no escaped quotes needed for our files). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '', q = false;
  for (const ch of line) {
    if (ch === '"') q = !q;
    else if (ch === ',' && !q) { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

export function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = fs.readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  return { header: splitCsvLine(lines[0]), rows: lines.slice(1).map(splitCsvLine) };
}

/** lr-schedules/{size}/{name}.csv → columns step, lr, loss. */
export function readSchedule(path: string): { step: number[]; lr: number[]; loss: number[] } {
  const { header, rows } = readCsv(path);
  const col = (n: string) => header.indexOf(n);
  const [s, l, y] = [col('step'), col('lr'), col('loss')];
  return { step: rows.map((r) => Number(r[s])), lr: rows.map((r) => Number(r[l])), loss: rows.map((r) => Number(r[y])) };
}
