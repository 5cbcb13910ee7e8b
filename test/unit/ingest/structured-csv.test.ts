import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shared, REPO } from '../helpers/paths';
import { detectFormat } from '../../../src/ingest/registry';
import { csvReader } from '../../../src/ingest/readers/csv';
import { lightningCsvReader } from '../../../src/ingest/readers/lightningCsv';
import { kerasCsvReader } from '../../../src/ingest/readers/kerasCsv';
import { pointsTableReader } from '../../../src/ingest/readers/pointsTable';
import { feedLines, linesOf, readText, sniffOf } from './structured-feed';

const fixture = (...p: string[]) => path.join(REPO, 'test', 'fixtures', 'logs', ...p);

describe('Lightning CSVLogger metrics.csv', () => {
  const f = shared('logs', 'lightning-csv', 'slm_training_v0_metrics.csv');

  test('sparse rows: counts per column as python csv.DictReader counts non-empty cells', () => {
    assert.equal(detectFormat(sniffOf(f))?.format, 'lightning-csv');
    const r = readText(lightningCsvReader, f);
    assert.equal(r.diagnostics.length, 0);
    const m = r.runs[0].metrics;
    // python3 csv.DictReader: 2834 rows; non-empty train_loss_step 2814, val_loss 10, epoch 2834.
    assert.equal(m['train/loss'].originalName, 'train_loss_step');
    assert.equal(m['train/loss'].step.length, 2814);
    assert.equal(m['val/loss'].step.length, 10);
    assert.equal(m['epoch'].step.length, 2834);
    // First data row: step 49, train_loss_step 7.628580570220947; first val row: step 14073, 4.132571697235107.
    assert.deepEqual([m['train/loss'].step[0], m['train/loss'].value[0]], [49, 7.628580570220947]);
    assert.deepEqual([m['val/loss'].step[0], m['val/loss'].value[0]], [14073, 4.132571697235107]);
  });

  test('hparams.yaml beside it → hparams and a parameter count from its shape', () => {
    const r = readText(lightningCsvReader, f);
    const meta = r.runs[0].meta;
    // slm_training_v0_hparams.yaml: d_model 768, num_layers 12, vocab_size 50258.
    assert.equal(meta.hparams?.d_model.value, 768);
    assert.equal(meta.hparams?.use_experimental.value, true);
    assert.equal(meta.params?.value, 12 * 12 * 768 * 768 + 50258 * 768);
  });

  test('rewrite with a new header (new metric column): re-read has no duplicates', () => {
    const before = 'epoch,step,train_loss\n0,9,5.0\n0,19,4.5\n';
    const after = 'epoch,step,train_loss,val_loss\n0,9,5.0,\n0,19,4.5,\n0,19,,4.8\n1,29,4.1,\n';
    // The incremental reader either restarts at line 1 (a rewrite it detected) …
    const p = lightningCsvReader.create('/run/metrics.csv');
    feedLines(p, linesOf(before));
    feedLines(p, linesOf(after));
    let m = p.result().runs[0].metrics;
    assert.deepEqual(Array.from(m['train/loss'].step), [9, 19, 29]);
    assert.deepEqual(Array.from(m['val/loss'].step), [19]);
    // … or just keeps delivering lines and the new header shows up mid-stream.
    const q = lightningCsvReader.create('/run/metrics.csv');
    feedLines(q, linesOf(before + after));
    m = q.result().runs[0].metrics;
    assert.deepEqual(Array.from(m['train/loss'].step), [9, 19, 29]);
    assert.deepEqual(Array.from(m['train/loss'].value), [5.0, 4.5, 4.1]);
  });
});

describe('Keras CSVLogger', () => {
  test('real file: 29 epochs, four metrics', () => {
    const f = shared('logs', 'keras-csvlogger', 'tomato_leaf_cnn_keras_training_log.csv');
    assert.equal(detectFormat(sniffOf(f))?.format, 'keras-csv');
    const m = readText(kerasCsvReader, f).runs[0].metrics;
    // 29 data rows (epochs 0..28), visible with `wc -l` (30 lines incl. header).
    for (const k of ['train/loss', 'val/loss', 'accuracy', 'val/accuracy']) assert.equal(m[k].step.length, 29, k);
    assert.deepEqual(Array.from(m['train/loss'].step.slice(0, 3)), [0, 1, 2]);
    assert.equal(m['train/loss'].value[28], 0.091253668);
  });

  test('NA is missing, nan/inf are kept as divergence points', () => {
    const m = readText(kerasCsvReader, fixture('csv', 'keras_diverged.csv')).runs[0].metrics;
    assert.deepEqual(Array.from(m['val/loss'].step), [0, 2, 3]); // epoch 1 has NA
    assert.equal(m['val/loss'].value[1], Infinity);
    assert.ok(Number.isNaN(m['train/loss'].value[2]));
    assert.equal(m['lr'].step.length, 4);
  });
});

describe('points tables', () => {
  test('Chinchilla extraction: 245 points, D = C/(6N)', () => {
    const f = shared('chinchilla', 'svg_extracted_data.csv');
    assert.equal(detectFormat(sniffOf(f))?.format, 'points-table');
    const r = readText(pointsTableReader, f);
    const t = r.points!;
    assert.equal(r.runs.length, 0);
    // 246 lines = header + 245 rows (wc -l; README says 245 points).
    assert.equal(t.loss.length, 245);
    // Row 1 as written: Model Size 6795600349.289497, Training FLOP 9.993852799709755e+18, loss 5.005581996196243.
    assert.equal(t.N[0], 6795600349.289497);
    assert.equal(t.C[0], 9.993852799709755e18);
    assert.equal(t.loss[0], 5.005581996196243);
    assert.ok(Math.abs(t.D[0] - 9.993852799709755e18 / (6 * 6795600349.289497)) < 1);
    // x, y are numeric extras; colour columns are text and dropped.
    assert.deepEqual(Object.keys(t.extra).sort(), ['x', 'y']);
    assert.equal(t.extra.x.length, 245);
    assert.ok(t.N.every(Number.isFinite) && t.D.every(Number.isFinite));
  });

  test('TSV sweep with gaps: derived D or C, a row without loss reported', () => {
    const r = readText(pointsTableReader, fixture('csv', 'sweep_points.tsv'));
    const t = r.points!;
    assert.equal(t.loss.length, 3); // gpt-xl has no final_loss
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0].line, 5);
    assert.ok(Math.abs(t.C[1] - 6 * 3.5e8 * 7.0e9) / t.C[1] < 1e-12);
    assert.ok(Math.abs(t.D[2] - 3.715e19 / (6 * 7.74e8)) / t.D[2] < 1e-12);
    assert.deepEqual(t.extra.lr, [6e-4, 3e-4, 2.5e-4]);
    assert.equal(detectFormat(sniffOf(fixture('csv', 'sweep_points.tsv')))?.format, 'points-table');
  });
});

describe('generic CSV curves', () => {
  test('every LR-schedule CSV parses as a run with train/loss and lr, row counts as in the file', () => {
    const dirs = ['25M', '100M'];
    let files = 0;
    for (const d of dirs) {
      const dir = shared('lr-schedules', d);
      for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.csv'))) {
        const f = path.join(dir, name);
        assert.equal(detectFormat(sniffOf(f))?.format, 'csv', f);
        const r = readText(csvReader, f);
        // Expected: data lines counted independently (non-empty lines minus the header).
        const rows =
          fs
            .readFileSync(f, 'utf8')
            .split('\n')
            .filter((l) => l.trim() !== '').length - 1;
        const m = r.runs[0].metrics;
        assert.equal(m['train/loss'].step.length, rows, f);
        assert.equal(m['lr'].step.length, rows, f);
        assert.equal(r.diagnostics.length, 0);
        files++;
      }
    }
    assert.equal(files, 18);
    // Spot check, 25M/cosine_24000.csv line 2: "2160,0.0003,4.1114".
    const m = readText(csvReader, shared('lr-schedules', '25M', 'cosine_24000.csv')).runs[0].metrics;
    assert.deepEqual([m['train/loss'].step[0], m['lr'].value[0], m['train/loss'].value[0]], [2160, 0.0003, 4.1114]);
  });

  test('bad rows are reported with their line number; the rows around them read', () => {
    const text = 'step,loss\n1,3.0\nxx,2.0\n3,2.5\n\n4,-inf\n';
    const r = feedLines(csvReader.create('/t.csv'), linesOf(text)).result();
    assert.deepEqual(Array.from(r.runs[0].metrics['train/loss'].step), [1, 3, 4]);
    assert.equal(r.runs[0].metrics['train/loss'].value[2], -Infinity);
    assert.deepEqual(
      r.diagnostics.map((d) => d.line),
      [3],
    );
  });

  test('quoted cells with delimiters inside', () => {
    const r = feedLines(csvReader.create('/t.csv'), [
      '"step","note","loss"',
      '1,"a, b",2.5',
      '2,"say ""hi""",2.25',
    ]).result();
    assert.deepEqual(Array.from(r.runs[0].metrics['train/loss'].value), [2.5, 2.25]);
  });

  test('hparams.yaml next to a metrics.csv in a temp version folder is found by its Lightning name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-lightning-'));
    fs.writeFileSync(path.join(dir, 'hparams.yaml'), 'n_params: 125000000\noptimizer:\n  name: adamw\n  lr: 0.0006\n');
    const f = path.join(dir, 'metrics.csv');
    const r = feedLines(lightningCsvReader.create(f), ['epoch,step,train_loss', '0,9,5.0']).result();
    assert.equal(r.runs[0].meta.params?.value, 125000000);
    assert.equal(r.runs[0].meta.hparams?.['optimizer.lr'].value, 0.0006);
    fs.rmSync(dir, { recursive: true });
  });
});
