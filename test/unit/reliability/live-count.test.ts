/**
 * The live-resource counters the leak tests read (src/host/liveCount.ts): a tracked disposable counts once until
 * its first dispose, counted events count each subscription (also when pushed into a disposables array), counted
 * timers count until they fire or are cancelled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countedEvent, countedTimeout, liveCounts, track } from '../../../src/host/liveCount';

test('liveCount: tracked disposables, event subscriptions and timers return to zero', async () => {
  const k = `t${process.pid}`;
  let disposed = 0;
  const d = track(`${k}.d`, {
    dispose: () => {
      disposed++;
    },
  });
  assert.equal(liveCounts()[`${k}.d`], 1);
  d.dispose();
  d.dispose();
  assert.equal(liveCounts()[`${k}.d`], undefined, 'a second dispose does not count twice');
  assert.equal(disposed, 2, 'the original dispose still runs');

  const listeners = new Set<(n: number) => void>();
  const event = (l: (n: number) => void) => {
    listeners.add(l);
    return {
      dispose: () => {
        listeners.delete(l);
      },
    };
  };
  const counted = countedEvent(`${k}.ev`, event);
  const bag: { dispose(): unknown }[] = [];
  const a = counted(() => undefined);
  counted(() => undefined, undefined, bag);
  assert.equal(liveCounts()[`${k}.ev`], 2);
  assert.equal(listeners.size, 2);
  a.dispose();
  for (const b of bag) b.dispose();
  assert.equal(liveCounts()[`${k}.ev`], undefined);
  assert.equal(listeners.size, 0, 'the underlying subscriptions are disposed too');

  let fired = 0;
  countedTimeout(
    `${k}.timer`,
    () => {
      fired++;
    },
    1,
  );
  const cancel = countedTimeout(
    `${k}.timer`,
    () => {
      fired++;
    },
    10_000,
  );
  assert.equal(liveCounts()[`${k}.timer`], 2);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(liveCounts()[`${k}.timer`], 1, 'a fired timer no longer counts');
  cancel();
  cancel();
  assert.equal(liveCounts()[`${k}.timer`], undefined);
  assert.equal(fired, 1);
});
