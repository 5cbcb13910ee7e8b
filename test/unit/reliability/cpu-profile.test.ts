import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profile, summarise, type CpuProfile } from '../../reliability/cpuProfile';

test('cpuProfile summary: self time per function, and the longest non-idle stretch with what ran in it', () => {
  const frame = (id: number, functionName: string) => ({ id, callFrame: { functionName, url: 'file:///x/dist/extension.js', lineNumber: id } });
  const p: CpuProfile = {
    nodes: [frame(1, '(idle)'), frame(2, 'parse'), frame(3, 'fit')],
    samples: [2, 1, 3, 3, 2, 1, 2],
    timeDeltas: [1000, 5000, 2000, 2000, 1000, 5000, 3000], // µs
  };
  const s = summarise(p, 5);
  assert.match(s.top[0], /^\s+10\.0 ms {2}\(idle\) dist\/extension\.js:2$/);
  assert.ok(s.top.some((l) => /^\s+5\.0 ms {2}parse /.test(l)) && s.top.some((l) => /^\s+4\.0 ms {2}fit /.test(l)));
  assert.equal(s.longest.ms, 5, 'fit, fit, parse between the two idle samples');
  assert.deepEqual(s.longest.top.map((l) => l.trim().split(/\s+/)[2]), ['fit', 'parse']);
});

test('cpuProfile.profile runs the work and sees where its time went', async () => {
  const r = await profile(async () => { const t = Date.now(); let x = 0; while (Date.now() - t < 60) x += Math.sqrt(x + 1); return x; }, { intervalUs: 500 });
  assert.ok(r.result > 0);
  assert.ok(r.longest.ms >= 20, `a ${r.longest.ms} ms busy stretch`);
  // The busy loop is this file's code: most of the stretch is attributed here (tsx names the arrow anonymous).
  const here = r.longest.top.filter((l) => l.includes('cpu-profile.test.ts')).reduce((s, l) => s + parseFloat(l), 0);
  assert.ok(here >= 0.5 * r.longest.ms, r.longest.top.join('\n'));
});
