import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { api, scratch, until, nanoLines, points, sleep } from './util';

describe('watcher and runs', () => {
  it('finds the fixture workspace runs in several formats on the initial scan', async () => {
    const a = await api();
    const formats = new Set([...a.controller.model.runs.values()].map((r) => r.format));
    assert.ok(a.controller.model.runs.size >= 3, `runs: ${a.controller.model.runs.size}`);
    assert.ok(formats.size >= 3, `formats: ${[...formats].join(', ')}`);
  });

  it('picks up a new log, then every appended line exactly once', async () => {
    const a = await api();
    const f = path.join(scratch('append'), 'train.log');
    fs.writeFileSync(f, 'number of parameters: 12.50M\n' + nanoLines(0, 50));
    await until(() => points(a, f) === 50, 40_000, '50 points');
    for (let k = 0; k < 10; k++) {
      fs.appendFileSync(f, nanoLines(50 + k * 10, 60 + k * 10));
      await sleep(30);
    }
    await until(() => points(a, f) === 150, 40_000, '150 points');
    const run = a.controller.model.runs.get(a.controller.model.files.get(f)!.runIds[0])!;
    const steps = run.metrics['train/loss'].step;
    assert.deepEqual(
      Array.from(steps),
      Array.from({ length: 150 }, (_, i) => i),
      'every step once, in order',
    );
    assert.equal(run.meta.params?.value, 12.5e6);
  });

  it('a partial last line waits for its newline', async () => {
    const a = await api();
    const f = path.join(scratch('partial'), 'train.log');
    fs.writeFileSync(f, nanoLines(0, 10));
    await until(() => points(a, f) === 10, 40_000, '10 points');
    fs.appendFileSync(f, 'iter 10: loss 3.1');
    await sleep(1500);
    assert.equal(points(a, f), 10, 'partial line not read yet');
    fs.appendFileSync(f, '234, time 100.00ms, mfu 30.00%\n');
    await until(() => points(a, f) === 11, 40_000, '11 points');
    const run = a.controller.model.runs.get(a.controller.model.files.get(f)!.runIds[0])!;
    assert.equal(run.metrics['train/loss'].value[10], 3.1234);
  });

  it('a truncated and rewritten log is re-read without duplicates; a deleted one disappears', async () => {
    const a = await api();
    const f = path.join(scratch('rewrite'), 'train.log');
    fs.writeFileSync(f, nanoLines(0, 40));
    await until(() => points(a, f) === 40, 40_000, '40 points');
    fs.writeFileSync(f, nanoLines(0, 15));
    await until(() => points(a, f) === 15, 40_000, 'the 15 points of the rewritten file');
    // rotation: rename away and recreate
    fs.renameSync(f, f + '.1');
    fs.writeFileSync(f, nanoLines(100, 105));
    await until(() => points(a, f) === 5, 40_000, '5 points after rotation');
    fs.rmSync(f);
    fs.rmSync(f + '.1');
    await until(() => !a.controller.model.files.has(f), 40_000, 'the run to be removed');
  });

  it('an HF output folder with checkpoints is one run: the latest checkpoint, then the final trainer_state.json', async () => {
    const a = await api();
    const d = scratch('hf-out');
    const state = (n: number) =>
      JSON.stringify({
        global_step: n,
        max_steps: 300,
        log_history: Array.from({ length: n / 10 }, (_, i) => ({ step: (i + 1) * 10, loss: 4 - i * 0.01 })),
      });
    const ck = (n: number) => path.join(d, `checkpoint-${n}`, 'trainer_state.json');
    for (const n of [100, 200]) {
      fs.mkdirSync(path.dirname(ck(n)), { recursive: true });
      fs.writeFileSync(ck(n), state(n));
    }
    await until(() => points(a, ck(200)) === 20, 40_000, 'the latest checkpoint read');
    await sleep(1500);
    assert.ok(!a.controller.model.files.has(ck(100)), 'the earlier checkpoint is not a run of its own');
    fs.writeFileSync(path.join(d, 'trainer_state.json'), state(300));
    await until(
      () => points(a, path.join(d, 'trainer_state.json')) === 30 && !a.controller.model.files.has(ck(200)),
      40_000,
      'the final state read and the checkpoint run gone',
    );
    assert.equal(
      [...a.controller.model.files.keys()].filter((f) => f.startsWith(d)).length,
      1,
      'one run for the output folder',
    );
  });

  it('survives binary garbage and a truncated JSON file', async () => {
    const a = await api();
    const d = scratch('garbage');
    const g = path.join(d, 'garbage.log');
    const buf = Buffer.alloc(200_000);
    for (let i = 0; i < buf.length; i++) buf[i] = (i * 2654435761) >>> 24;
    fs.writeFileSync(g, buf);
    fs.writeFileSync(
      path.join(d, 'trainer_state.json'),
      '{"log_history": [{"loss": 2.5, "step": 1}, {"loss": 2.4, "st',
    );
    const f = path.join(d, 'ok.log');
    fs.writeFileSync(f, nanoLines(0, 5));
    await until(() => points(a, f) === 5, 40_000, 'the good log next to the bad ones');
    assert.ok(a.controller.model.runs.size > 0);
  });
});

describe('watcher: live logs', () => {
  it('a growing log is watched natively; appends, rotation and deletion still read right, and the watch goes with it', async function () {
    this.timeout(120_000);
    const a = await api();
    const f = path.join(scratch('native'), 'train.log');
    fs.writeFileSync(f, nanoLines(0, 20));
    await until(() => points(a, f) === 20, 40_000, 'the log');
    fs.appendFileSync(f, nanoLines(20, 25)); // grows after its first read: live
    await until(() => points(a, f) === 25, 40_000, '25 points');
    await until(() => a.controller.watcher.nativelyWatched.includes(f), 10_000, 'a native watch on the live log');
    for (let k = 0; k < 20; k++) {
      fs.appendFileSync(f, nanoLines(25 + k, 26 + k));
      await sleep(20);
    }
    await until(() => points(a, f) === 45, 40_000, '45 points');
    const run = a.controller.model.runs.get(a.controller.model.files.get(f)!.runIds[0])!;
    assert.deepEqual(
      Array.from(run.metrics['train/loss'].step),
      Array.from({ length: 45 }, (_, i) => i),
      'every step once, in order',
    );
    // Rotation: the old file is renamed away and a new one written under the same name, then appended to.
    fs.renameSync(f, f + '.1');
    fs.writeFileSync(f, nanoLines(1000, 1003));
    await until(() => points(a, f) === 3, 40_000, 'the rotated log re-read');
    fs.appendFileSync(f, nanoLines(1003, 1006));
    await until(() => points(a, f) === 6, 40_000, 'appends to the new file read');
    fs.rmSync(f);
    fs.rmSync(f + '.1');
    await until(() => !a.controller.model.files.has(f), 40_000, 'the run removed');
    await until(() => !a.controller.watcher.nativelyWatched.includes(f), 10_000, 'the native watch closed');
  });
});
