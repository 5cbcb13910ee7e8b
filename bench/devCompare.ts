/**
 * Dev-only diagnosis for issue 12: per curve and per group (pretraining vs fine-tune, tags, short runs), our
 * final-loss forecast against the bounded-pow3 scipy baseline, on the DEV split of the curve corpus only (it
 * refuses any other split: hold-outs are scored by bench/backtest.ts, summary rows only).
 *
 *   node --import tsx bench/devCompare.ts [--curves] [--json FILE]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { corpusCurves, CORPUS_DIR } from '../test/unit/fit/corpus';
import { fitCurve, predictCurve } from '../src/fit/curve/fitCurve';
import { CUTS, tasksOf, type Task } from '../test/unit/fit/curve-tasks';

const argv = process.argv.slice(2);
const PY = process.env.PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

interface Meta {
  domain: string;
  tags: string[];
  points: number;
}
const index = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'index.json'), 'utf8')) as
  ({ id: string } & Meta)[] | { curves: ({ id: string } & Meta)[] };
const meta = new Map((Array.isArray(index) ? index : index.curves).map((e) => [e.id, e]));

const curves = corpusCurves('dev').filter((c) => c.split === 'dev');
const { tasks } = tasksOf(curves);

function scipy(ts: Task[]): Map<string, number | null> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sl-devcmp-')), 'tasks.json');
  fs.writeFileSync(file, JSON.stringify(ts.map((t) => ({ id: t.id, x: t.x, y: t.y, at: t.at }))));
  const r = spawnSync(PY, [path.join(__dirname, 'baselines', 'curve_backtest_scipy.py'), file], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const out = new Map<string, number | null>();
  if (r.status === 0)
    for (const o of JSON.parse(r.stdout) as { id: string; value: number | null }[]) out.set(o.id, o.value);
  return out;
}

interface Row {
  id: string;
  curve: string;
  cut: number;
  n: number;
  truth: number;
  ours: number | null;
  scipy: number | null;
  law: string;
  groups: string[];
}

const sp = scipy(tasks);
const rows: Row[] = tasks.map((t) => {
  const f = fitCurve(t.x, t.y);
  const m = meta.get(t.curve);
  const groups = [
    m?.domain === 'lm-finetuning' ? 'fine-tune' : 'pretraining',
    ...(m?.tags ?? []).filter((g) =>
      ['multi-epoch', 'memorises', 'diverges', 'partial-run', 'eval-metric'].includes(g),
    ),
    ...(t.x.length < 100 ? ['prefix < 100 points'] : []),
    ...((m?.points ?? 0) < 100 ? ['run < 100 points'] : []),
  ];
  let ours: number | null = null,
    law = 'failed';
  if (f.ok) {
    const p = predictCurve(f, [t.at], { scenario: 'unknown' })[0];
    ours = Number.isFinite(p.value) ? p.value : null;
    law = f.members.map((q) => `${q.law}:${(q.weight ?? 0).toFixed(2)}`).join(' ');
  }
  return {
    id: t.id,
    curve: t.curve,
    cut: t.cut,
    n: t.x.length,
    truth: t.truth,
    ours,
    scipy: sp.get(t.id) ?? null,
    law,
    groups,
  };
});

const err = (v: number | null, truth: number) => (v === null || !(truth > 0) ? NaN : Math.abs(v / truth - 1));
const median = (v: number[]) => {
  const a = v.filter((q) => !Number.isNaN(q)).sort((x, y) => x - y);
  return a.length ? (a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2) : NaN;
};
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : '—');

if (argv.includes('--curves'))
  for (const r of rows)
    console.log(
      `${r.id.padEnd(46)} n ${String(r.n).padStart(4)} truth ${r.truth.toFixed(4)} ours ${pct(err(r.ours, r.truth)).padStart(9)} (${r.ours === null ? '—' : r.ours.toFixed(4)}) scipy ${pct(err(r.scipy, r.truth)).padStart(9)}  ${r.law}  [${r.groups.join(', ')}]`,
    );

const groupNames = ['all', ...new Set(rows.flatMap((r) => r.groups))];
console.log('| group | cut | forecasts | ours median | scipy median | ours better | ours failed |');
console.log('|---|---|---|---|---|---|---|');
for (const g of groupNames)
  for (const cut of CUTS) {
    const rs = rows.filter((r) => r.cut === cut && (g === 'all' || r.groups.includes(g)));
    if (!rs.length) continue;
    const better = rs.filter((r) => err(r.ours, r.truth) < err(r.scipy, r.truth)).length;
    console.log(
      `| ${g} | ${cut * 100} % | ${rs.length} | ${pct(median(rs.map((r) => err(r.ours, r.truth))))} | ${pct(median(rs.map((r) => err(r.scipy, r.truth))))} | ${better}/${rs.length} | ${rs.filter((r) => r.ours === null).length} |`,
    );
  }
const j = argv[argv.indexOf('--json') + 1];
if (argv.includes('--json') && j) fs.writeFileSync(j, JSON.stringify(rows, null, 1));
