import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageLog } from '../../../src/model/messageLog';

test('MessageLog: marks stay valid after old messages are dropped; a mark past the drop point throws instead of answering partially', () => {
  const log = new MessageLog<number>(10);
  for (let i = 0; i < 8; i++) log.record(i);
  const mark = log.length;
  assert.equal(mark, 8);
  for (let i = 8; i < 13; i++) log.record(i); // 13 > 10: the oldest are dropped down to 5 kept… then grows again
  assert.equal(log.length, 13, 'length counts every message ever recorded');
  assert.deepEqual(log.since(mark), [8, 9, 10, 11, 12], 'an absolute mark still finds exactly what came after it');
  assert.ok(log.first > 0, 'something was dropped');
  assert.equal(log.at(12), 12);
  assert.equal(log.at(log.first - 1), undefined);
  assert.throws(() => log.since(0), /already dropped/);
  assert.equal(
    log.findLast((x) => x % 2 === 0),
    12,
  );
  assert.equal(
    log.find((x) => x > 9),
    10,
  );
  assert.deepEqual([...log], log.since(log.first));
  assert.ok([...log].length <= 10, 'bounded');
});

test('MessageLog: capacity 0 keeps nothing but still counts', () => {
  const log = new MessageLog<string>(0);
  log.record('a');
  log.record('b');
  assert.equal(log.length, 2);
  assert.deepEqual([...log], []);
  assert.equal(
    log.some(() => true),
    false,
  );
  assert.deepEqual(log.since(2), []);
});
