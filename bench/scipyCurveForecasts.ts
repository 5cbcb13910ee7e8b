/**
 * The bounded pow3 baseline's forecasts (scipy `curve_fit`, α ≤ 1: bench/baselines/curve_backtest_scipy.py) of a
 * set of backtest tasks. They do not depend on our code, so they are cached per split and task set in the OS temp
 * folder. Shared by bench/devCompare.ts and bench/stackPool.ts. An empty map when python or scipy fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Task } from '../test/unit/fit/curve-tasks';

const PY = process.env.PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

export function scipyCurveForecasts(split: string, ts: Task[]): Map<string, number | null> {
  const payload = JSON.stringify(ts.map((t) => ({ id: t.id, x: t.x, y: t.y, at: t.at })));
  let h = 0;
  for (let i = 0; i < payload.length; i++) h = (h * 31 + payload.charCodeAt(i)) | 0;
  const cache = path.join(os.tmpdir(), `sl-devcmp-scipy-${split}-${(h >>> 0).toString(16)}.json`);
  let res: { id: string; value: number | null }[] | null = null;
  if (fs.existsSync(cache)) res = JSON.parse(fs.readFileSync(cache, 'utf8')) as { id: string; value: number | null }[];
  else {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sl-devcmp-')), 'tasks.json');
    fs.writeFileSync(file, payload);
    const r = spawnSync(PY, [path.join(__dirname, 'baselines', 'curve_backtest_scipy.py'), file], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (r.status === 0) {
      fs.writeFileSync(cache, r.stdout);
      res = JSON.parse(r.stdout) as { id: string; value: number | null }[];
    }
  }
  return new Map((res ?? []).map((o) => [o.id, o.value]));
}
