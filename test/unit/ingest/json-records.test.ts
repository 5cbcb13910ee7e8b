/**
 * A list of metric records saved as one JSON document, or pasted into code as a literal (readers/jsonRecords.ts,
 * issue 14 fix round 13: hold-out 25's Hugging Face `log_history` in a JavaScript array and `trainer_state` in a
 * Python literal). Made-up records; the expected values are written by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, one, pts } from './inferCase';

/** `n` records of a Trainer-like log history, one key a line (`json.dump(…, indent=2)`); an evaluation every 4th. */
function history(n: number, indent = '  '): string {
  const recs: string[] = [];
  for (let i = 1; i <= n; i++) {
    const fields = [
      `"loss": ${(2 - i / 20).toFixed(3)}`,
      `"learning_rate": ${(1e-4 * (1 - i / n)).toExponential(2)}`,
      `"epoch": ${(i / 7).toFixed(2)}`,
      `"step": ${i * 25}`,
    ];
    recs.push(`${indent}{\n${fields.map((f) => indent.repeat(2) + f).join(',\n')}\n${indent}}`);
    if (i % 4 === 0)
      recs.push(
        `${indent}{\n${indent.repeat(2)}"eval_loss": ${(2.2 - i / 20).toFixed(3)},\n${indent.repeat(2)}"step": ${i * 25}\n${indent}}`,
      );
  }
  return `[\n${recs.join(',\n')}\n]\n`;
}

test('a log history dumped with indent: every record, keyed by its own step (the key after the loss)', async () => {
  const run = one(await parse(history(9), 'log_history.json'));
  const s = pts(run, 'train/loss');
  assert.equal(s.value.length, 9);
  assert.equal(s.step[0], 25);
  assert.equal(s.step[8], 225);
  assert.equal(s.value[8], 1.55);
  assert.deepEqual(pts(run, 'val/loss').step, [100, 200]);
});

test('pasted into JavaScript as a literal, values quoted, no step: one point per record, in record order', async () => {
  const recs = [0.91, 0.84, 0.8, 0.77, 0.75].map(
    (v, i) =>
      `    {\n        "loss": "${v}",\n        "learning_rate": "${(5 - i) / 10}E-05",\n        "epoch": "${(i + 1) / 5}"\n    }`,
  );
  const run = one(
    await parse(`const trainLog = [\n${recs.join(',\n')}\n];\n\nexport default trainLog;\n`, 'charts.js'),
  );
  const s = pts(run, 'train/loss');
  assert.deepEqual(s.value, [0.91, 0.84, 0.8, 0.77, 0.75]);
});

test("a trainer state pasted as a Python literal (None, True, a trailing comma): the log history's steps, max_steps planned", async () => {
  const text = [
    'if __name__ == "__main__":',
    '    state = {',
    '        "best_metric": None,',
    '        "global_step": 225,',
    '        "is_world_process_zero": True,',
    '        "log_history": ' + history(9, '    ').trim().replace(/\n\]$/, ',\n]') + ',',
    '        "max_steps": 400,',
    '        "should_save": False,',
    '    }',
    '    print(len(state["log_history"]))',
  ].join('\n');
  const run = one(await parse(text + '\n', 'show_state.py'));
  const s = pts(run, 'train/loss');
  assert.equal(s.value.length, 9);
  assert.equal(s.step[8], 225);
  assert.equal(run.meta.totalSteps?.value, 400);
});
