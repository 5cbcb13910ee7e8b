import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { api, scratch, until, sleep } from './util';

// <repo>/out/test/integration/suite → <repo>
const REPO = path.resolve(__dirname, '..', '..', '..', '..');

describe('one training run in two files', () => {
  it('a run folder with the metrics table and the TensorBoard event file of one run shows one run in the Runs view', async () => {
    const a = await api();
    const d = scratch('same-run');
    const src = path.join(REPO, 'test', 'fixtures', 'sameRun', 'yolov5-helmet', 'exp2');
    for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(d, f));
    const inFolder = () =>
      a.controller.model.summaries().filter((s) => s.relPath.split(/[\\/]/).includes(path.basename(d)));
    await until(() => inFolder().some((s) => s.builtFrom?.files.length === 2), 40_000, 'one run built from both files');
    await sleep(1500); // no second run appears later
    const shown = inFolder();
    assert.equal(shown.length, 1, shown.map((s) => s.relPath).join(', '));
    assert.deepEqual(shown[0].builtFrom!.files.map((f) => path.basename(f)).sort(), [
      'events.out.tfevents.1671637532.gakko.30470.0',
      'results.csv',
    ]);
    assert.match(shown[0].builtFrom!.reason, /same folder/);
    // the Runs view lists model.summaries(): one item for this folder
    assert.equal(a.controller.model.runs.get(shown[0].id)!.metrics['train/box_loss'].step.length, 150);
  });
});
