/**
 * A JSONL log whose training records state the planned total (`"total_steps": 500`) and that ends with a second
 * loop's progress records — the step counter back to the start, no training-loss value, a smaller total (an
 * evaluation's batches, as LLaMA-Factory's trainer_log.jsonl writes them after training): the plan stays the
 * training's. A record that does hold a training loss still restates the plan (a relaunch with a new budget). Made-up
 * lines; byte and string paths.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWith } from './bytePathKit';
import { jsonlReader } from '../../../src/ingest/readers/jsonl';

const rec = (cur: number, tot: number, loss: number | null, evalLoss: number | null = null) =>
  `{"current_steps": ${cur}, "total_steps": ${tot}, "loss": ${loss}, "eval_loss": ${evalLoss}, "learning_rate": ${loss === null ? null : 0.0001}, "percentage": ${((100 * cur) / tot).toFixed(2)}}`;

function log(relaunch: boolean): string {
  const out: string[] = [];
  for (let s = 25; s <= 475; s += 25) out.push(rec(s, 500, Number((4 / Math.sqrt(s)).toFixed(4))));
  out.push(rec(500, 500, null));
  if (relaunch) for (let s = 20; s <= 100; s += 20) out.push(rec(s, 120, Number((3 / Math.sqrt(s)).toFixed(4))));
  else {
    for (let s = 8; s < 40; s += 8) out.push(rec(s, 40, null));
    out.push(rec(40, 40, null, 0.8123));
  }
  return out.join('\n') + '\n';
}

for (const withBytes of [true, false]) {
  test(`jsonl: an evaluation loop's progress records after training keep the training's plan (${withBytes ? 'byte' : 'string'} path)`, () => {
    const { r } = parseWith(jsonlReader, 'trainer_log.jsonl', Buffer.from(log(false)), withBytes);
    assert.equal(r.runs[0].meta.totalSteps?.value, 500);
    assert.equal(r.runs[0].metrics['train/loss'].value.length, 19);
  });
  test(`jsonl: records with a training loss restate the plan (${withBytes ? 'byte' : 'string'} path)`, () => {
    const { r } = parseWith(jsonlReader, 'trainer_log.jsonl', Buffer.from(log(true)), withBytes);
    const totals = r.runs.map((x) => x.meta.totalSteps?.value);
    assert.equal(totals[totals.length - 1], 120);
  });
}
