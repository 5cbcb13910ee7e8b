/** The authors' public data committed under test/fixtures/papers/ (see each folder's SOURCES.md). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { parseCsv } from '../../../src/fit/csv';

export interface GadreRow {
  dataset: string;
  model: string;
  N: number;
  D: number;
  M: number;
  loss: number;
  err: number;
}

export const GADRE_CSV = path.join(REPO, 'test', 'fixtures', 'papers', 'gadre2024', 'models.csv');
export const DATABLATIONS_CSV = path.join(REPO, 'test', 'fixtures', 'papers', 'muennighoff2023', 'losses.csv');

export function gadreRows(): GadreRow[] {
  const { header, rows } = parseCsv(fs.readFileSync(GADRE_CSV, 'utf8'));
  const at = (r: string[], k: string) => r[header.indexOf(k)];
  return rows.map((r) => ({
    dataset: at(r, 'dataset'),
    model: at(r, 'model'),
    N: +at(r, 'N'),
    D: +at(r, 'D'),
    M: +at(r, 'M'),
    loss: +at(r, 'loss'),
    err: +at(r, 'err'),
  }));
}

const SMALL = ['d=96_l=8_h=4', 'd=512_l=8_h=4', 'd=576_l=24_h=8', 'd=1024_l=24_h=8'];

/**
 * The authors' fitting sets (`fit_ds` in mlfoundations/scaling scaling/shared.py): loss law on the four small
 * models at M = 20 plus the 11M model at M = 320; error law on those five plus the 1.4B model at M = 20.
 */
export function gadreProtocol(dataset: string) {
  const rows = gadreRows().filter((r) => r.dataset === dataset);
  const loss = [
    ...rows.filter((r) => SMALL.includes(r.model) && r.M === 20).sort((a, b) => a.N - b.N),
    ...rows.filter((r) => r.model === SMALL[0] && r.M === 320),
  ];
  const error = [...loss, ...rows.filter((r) => r.model === 'open_lm_1b' && r.M === 20)];
  const target = (model: string, M: number) => rows.find((r) => r.model === model && r.M === M);
  return { loss, error, target };
}

export function datablationsRows(): { N: number; D: number; U: number; loss: number }[] {
  const { header, rows } = parseCsv(fs.readFileSync(DATABLATIONS_CSV, 'utf8'));
  const at = (r: string[], k: string) => +r[header.indexOf(k)];
  return rows.map((r) => ({ N: at(r, 'N'), D: at(r, 'D'), U: at(r, 'U'), loss: at(r, 'loss') }));
}
