/**
 * What the curve-forecast studies share (bench/backtest.ts, scenarioStudy.ts, epochStudy.ts, …): the median of
 * the finite values, the last-value baseline, and the bounded pow3 baseline with its band (scipy `curve_fit`, α ≤ 1:
 * bench/baselines/curve_backtest_scipy.py), run fresh (bench/scipyCurveForecasts.ts is the cached, value-only form).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Task } from '../test/unit/fit/curve-tasks';

const PY = process.env.PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

export interface Scored {
  value: number;
  lower: number;
  upper: number;
}

/** The median of the finite values of `v` (NaN when none). */
export function median(v: number[]): number {
  const a = v.filter(Number.isFinite).sort((x, y) => x - y);
  return a.length ? (a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2) : NaN;
}

/** The last-value baseline: the median of the prefix's last 5 % of points (at least one). */
export function lastValueOf(t: Task): number {
  const k = Math.max(1, Math.ceil(t.y.length * 0.05));
  const tail = t.y.slice(-k).sort((a, b) => a - b);
  return tail[tail.length >> 1];
}

/** The bounded pow3 baseline's forecast and band per task id (null: its fit failed); empty when python fails. */
export function scipyBands(tasks: Task[]): Map<string, Scored | null> {
  const out = new Map<string, Scored | null>();
  if (!tasks.length) return out;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sl-pow3-')), 'tasks.json');
  fs.writeFileSync(file, JSON.stringify(tasks.map((t) => ({ id: t.id, x: t.x, y: t.y, at: t.at }))));
  const r = spawnSync(PY, [path.join(__dirname, 'baselines', 'curve_backtest_scipy.py'), file], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) {
    console.error(`scipy baseline failed: ${r.stderr.slice(0, 400)}`);
    return out;
  }
  for (const o of JSON.parse(r.stdout) as { id: string; value: number | null; lower?: number; upper?: number }[])
    out.set(o.id, o.value == null ? null : { value: o.value, lower: o.lower ?? NaN, upper: o.upper ?? NaN });
  return out;
}
