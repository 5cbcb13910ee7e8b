import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profile, summarise, type CpuProfile } from '../../reliability/cpuProfile';

test('cpuProfile summary: self time per function, and the longest non-idle stretch with what ran in it', () => {
  const frame = (id: number, functionName: string) => ({
    id,
    callFrame: { functionName, url: 'file:///x/dist/extension.js', lineNumber: id },
  });
  const p: CpuProfile = {
    nodes: [frame(1, '(idle)'), frame(2, 'parse'), frame(3, 'fit')],
    samples: [2, 1, 3, 3, 2, 1, 2],
    timeDeltas: [1000, 5000, 2000, 2000, 1000, 5000, 3000], // µs
  };
  const s = summarise(p, 5);
  assert.match(s.top[0], /^\s+10\.0 ms {2}\(idle\) dist\/extension\.js:2$/);
  assert.ok(s.top.some((l) => /^\s+5\.0 ms {2}parse /.test(l)) && s.top.some((l) => /^\s+4\.0 ms {2}fit /.test(l)));
  assert.equal(s.longest.ms, 5, 'fit, fit, parse between the two idle samples');
  assert.deepEqual(
    s.longest.top.map((l) => l.trim().split(/\s+/)[2]),
    ['fit', 'parse'],
  );
});

test('cpuProfile.profile runs the work and sees where its time went', async () => {
  // A fixed amount of pure JavaScript work (~50 ms on an idle core), no clock or system calls in the loop: a loop
  // that polled the clock was, on a loaded machine, mostly sampled inside the clock call.
  const r = await profile(
    async () => {
      let x = 0;
      for (let i = 0; i < 4e7; i++) x += Math.sqrt(x + i);
      return x;
    },
    { intervalUs: 500 },
  );
  assert.ok(r.result > 0);
  assert.ok(r.longest.ms >= 20, `a ${r.longest.ms} ms busy stretch`);
  // The busy loop is this file's code: of the stretch's time spent in JavaScript functions (not in VM states such as
  // the garbage collector or samples taken while the thread waited for a core), most is attributed here.
  const ms = (l: string) => parseFloat(l);
  const js = r.longest.top.filter((l) => !/ms {2}(\(|dispatch )/.test(l));
  const here = js.filter((l) => l.includes('cpu-profile.test.ts')).reduce((s, l) => s + ms(l), 0);
  const all = js.reduce((s, l) => s + ms(l), 0);
  assert.ok(here >= 0.5 * all && here > 0, r.longest.top.join('\n'));
});
