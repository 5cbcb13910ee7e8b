import { corpusCurves } from './test/unit/fit/corpus';
import { tasksOf } from './test/unit/fit/curve-tasks';
import { fitCurve, predictCurve } from './src/fit/curve/fitCurve';
const split = (process.argv[2] ?? 'holdout14') as any;
const { tasks } = tasksOf(corpusCurves(split));
for (const t of tasks.filter((t) => t.cut === 0.1)) {
  const f = fitCurve(t.x, t.y);
  if (!f.ok) { console.log(t.id, 'fail'); continue; }
  const p = predictCurve(f, [t.at], { scenario: 'unknown' })[0] as any;
  const pc = predictCurve(f, [t.at], { scenario: 'constant' } as any)[0] as any;
  console.log(t.id.padEnd(50), 'n', t.x.length, 'truth', t.truth.toFixed(3), 'ours', p.value.toFixed(3), 'const', pc.value?.toFixed(3), 'last', t.y[t.y.length-1].toFixed(3), f.members.map((m) => `${m.law}:${(m.weight ?? 0).toFixed(2)}`).join(' '));
}
