/**
 * The general reader on the shapes of hold-out 27's misses (issue 14, fix round 15): synthetic lines, small enough
 * that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('a value printed alone in braces (`loss : {0.91}`) is keyed as one in brackets', () => {
  test('braced counters and values after python-logging prefixes', async () => {
    const out = ['2031-07-01 09:00:00,001 INFO device ready'];
    for (let e = 1; e <= 4; e++)
      for (let s = 1; s <= 3; s++)
        out.push(
          `2031-07-01 09:00:${String(e * 3 + s).padStart(2, '0')},500 INFO ep: {${e}/50}, it: {${s}/3}, ` +
            `loss : {${(2.5 - e / 4 - s / 20).toFixed(5)}}, lr : {${(1e-3 / e).toFixed(6)}}`,
        );
    const run = one(await parse(lines(...out)));
    const loss = pts(run, 'train/loss');
    assert.equal(loss.value.length, 12);
    assert.equal(loss.value[11], 1.35);
    assert.deepEqual(loss.step.slice(0, 4), [1, 2, 3, 4]);
    assert.equal(loss.step[11], 12);
  });
  test('a dict of numbers keyed by numbers is not read as braced values', async () => {
    const out: string[] = [];
    for (let s = 1; s <= 5; s++) out.push(`step ${s} loss ${(2 - s / 10).toFixed(2)} per_class {0: 0.5${s}}`);
    const run = one(await parse(lines(...out)));
    assert.equal(pts(run, 'train/loss').value[4], 1.5);
  });
});

describe("an HTML table of metric rows (a notebook's Trainer output exported to markdown) is read as a table", () => {
  test('one cell a line, header cells in <th>, values in <td>', async () => {
    const out = ['Loading weights: 100%', '<div>', '  <progress value="8" max="8"></progress>', '</div>'];
    out.push('<table border="1" class="dataframe">', ' <thead>', '  <tr style="text-align: left;">');
    out.push('    <th>Step</th>', '    <th>Training Loss</th>', '    <th>Validation Loss</th>', '  </tr>');
    out.push(' </thead>', ' <tbody>');
    for (let s = 1; s <= 8; s++)
      out.push(
        '  <tr>',
        `    <td>${s * 5}</td>`,
        `    <td>${(3.2 - s / 8).toFixed(6)}</td>`,
        `    <td>${s % 2 ? 'No log' : (3.3 - s / 8).toFixed(6)}</td>`,
        '  </tr>',
      );
    out.push(' </tbody>', '</table>', '<p>done</p>');
    const run = one(await parse(lines(...out)));
    const loss = pts(run, 'train/loss');
    assert.deepEqual(loss.step, [5, 10, 15, 20, 25, 30, 35, 40]);
    assert.equal(loss.value[7], 2.2);
  });
  test('whole rows on one line each', async () => {
    const out = ['<table>', '<tr><th>Epoch</th><th>Step</th><th>Training Loss</th></tr>'];
    for (let s = 1; s <= 6; s++)
      out.push(`<tr><td>${Math.ceil(s / 3)}</td><td>${s * 10}</td><td>${(1.9 - s / 10).toFixed(4)}</td></tr>`);
    out.push('</table>');
    const run = one(await parse(lines(...out)));
    const loss = pts(run, 'train/loss');
    assert.equal(loss.value.length, 6);
    assert.equal(loss.value[5], 1.3);
    assert.equal(loss.step[5], 60);
  });
});

describe('the same script run to its last epoch again and again, with an epoch-composed step', () => {
  test('each run ends at the same epoch, with a different number of records an epoch: one run each', async () => {
    const out: string[] = [];
    let loss = 0;
    for (const per of [2, 3, 5]) {
      out.push('', `## workers: ${6 - per}`, '');
      for (let e = 0; e < 6; e++) {
        for (let s = 0; s < per; s++)
          out.push(
            `Ep ${String(e).padStart(4, '0')} | It ${String(s * 25).padStart(4, '0')} | Loss ${(4 - e / 2 - s / 10 + per / 7).toFixed(4)} | mem 12.${per} MB`,
          );
        out.push(`epoch seconds: ${(3 + per / 10).toFixed(3)}`);
      }
      loss = 4 - 5 / 2 - (per - 1) / 10 + per / 7;
    }
    const r = await parse(lines(...out));
    assert.deepEqual(
      r.runs.map((run) => pts(run, 'train/loss').value.length),
      [12, 18, 30],
    );
    const last = pts(r.runs[2], 'train/loss').value;
    assert.equal(last[last.length - 1], Number(loss.toFixed(4)));
  });
});

describe('a schedule stating `Total iterations: N` before training is the planned total', () => {
  test('over the per-epoch `N/M` of the bar', async () => {
    const out = [
      '2032-01-02 03:04:05,006 - INFO - Schedule:',
      '2032-01-02 03:04:05,007 - INFO -   Batches per epoch: 40',
      '2032-01-02 03:04:05,008 - INFO -   Total iterations: 480',
    ];
    for (let s = 1; s <= 30; s++)
      out.push(`Ep 1/12: ${s}/40 [00:${String(s).padStart(2, '0')}<00:10, loss=${(5 - s / 10).toFixed(3)}]`);
    const run = one(await parse(lines(...out)));
    assert.equal(pts(run, 'train/loss').value.length, 30);
    assert.equal(run.meta.totalSteps?.value, 480);
  });
  test('a `Total iterations` line after the last record is a summary, no plan', async () => {
    const out: string[] = [];
    for (let s = 1; s <= 12; s++) out.push(`iteration ${s * 10} loss ${(3 - s / 10).toFixed(3)}`);
    out.push('Finished. Total iterations: 120');
    const run = one(await parse(lines(...out)));
    assert.equal(run.meta.totalSteps, undefined);
  });
});
