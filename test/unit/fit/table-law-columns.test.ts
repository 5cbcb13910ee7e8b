/** Which table laws a CSV feeds, and their columns (the editor's *Fit Table Law…*), on the sample workspace's tables. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { parseCsv } from '../../../src/fit/csv';
import { lawsForHeader, tableLawData } from '../../../src/fit/tableLawColumns';
import { tableLawById } from '../../../src/fit/tableLaws';
import { nearOptimalRuns } from '../../../src/fit/stepLaw';

const table = (f: string) => parseCsv(fs.readFileSync(path.join(REPO, 'sample-workspace', 'laws', f), 'utf8'));

test('each sample table is offered exactly the laws it was made for', () => {
  const ids = (f: string) =>
    lawsForHeader(table(f).header)
      .map((l) => l.id)
      .sort();
  assert.deepEqual(ids('downstream-acc.csv'), ['downstream-sigmoid']);
  assert.deepEqual(ids('downstream-err.csv'), ['downstream-exp', 'downstream-sigmoid']); // the sigmoid takes an error too
  assert.deepEqual(ids('overtraining.csv'), ['overtraining']);
  assert.deepEqual(ids('data-constrained.csv'), ['data-constrained', 'overtraining']);
  assert.deepEqual(ids('hyperparameter-sweep.csv'), ['overtraining', 'steplaw-batch', 'steplaw-lr']);
});

test('columns by name; the Step Law reads the near-optimal runs; a missing column is said', () => {
  const t = table('data-constrained.csv');
  const d = tableLawData(tableLawById('data-constrained')!, t.header, t.rows);
  assert.ok(!('error' in d));
  if ('error' in d) return;
  assert.deepEqual(d.columns, { inputs: ['N', 'D', 'U'], y: 'loss' });
  assert.equal(d.y.length, t.rows.length);
  assert.equal(d.inputs[2][0], Number(t.rows[0][2]));
  const h = table('hyperparameter-sweep.csv');
  const s = tableLawData(tableLawById('steplaw-lr')!, h.header, h.rows);
  assert.ok(!('error' in s));
  if ('error' in s) return;
  const at = (r: string[], k: string) => +r[h.header.indexOf(k)];
  assert.equal(
    s.y.length,
    nearOptimalRuns(
      h.rows.map((r) => ({
        N: at(r, 'N'),
        D: at(r, 'D'),
        lr: at(r, 'lr'),
        bs: at(r, 'batch_size'),
        loss: at(r, 'loss'),
      })),
    ).rows.length,
  );
  const e = tableLawData(tableLawById('data-constrained')!, ['N', 'D', 'loss'], []);
  assert.ok('error' in e && /U/.test(e.error));
});
