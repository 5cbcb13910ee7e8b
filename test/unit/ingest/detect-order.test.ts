// Detection must not depend on which files were read before (the extension host reads many files in one
// process): reading a log whose format sits behind a logger prefix once made that reader's prefix-stripping
// variant unavailable to every later file (a memo of wrapped readers was also used as "already wrapped").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadPaths } from '../../../src/cli/load';
import { REPO } from '../helpers/paths';

const real = (p: string) => path.join(REPO, 'test', 'fixtures', 'real', 'dev', p);
const HF = real(
  'hf-autotrain-wandb/Jskyu__KorQuAD2.0-dev-training__wandb_run-20240430_111132-za1r6og7_files_output.log',
);
const OTHER = real('dsfd-face-detector/Challenging6__DSFD.pytorch__train.log');

test('the format of a prefixed log is the same whether or not another prefixed log was read first', async () => {
  const formatOf = async (f: string) => (await loadPaths([f])).runs.map((r) => r.format).join(',');
  const first = await formatOf(HF);
  assert.equal(first, 'hf-stdout');
  await formatOf(OTHER);
  assert.equal(await formatOf(HF), first);
});
