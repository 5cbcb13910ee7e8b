import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { cli } from './helpers';

test('laws --json lists sweep, curve and schedule laws with formulas and sources', () => {
  const r = cli(['laws', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const { laws } = JSON.parse(r.stdout);
  const ids = laws.map((l: { id: string }) => l.id);
  for (const id of ['chinchilla', 'pow3', 'm4', 'mpl', 'tissue']) assert.ok(ids.includes(id), id);
  // Independent count of the curve-law files (one law per file, index.ts excluded).
  const curveFiles = fs
    .readdirSync(path.join(REPO, 'src', 'fit', 'curve', 'laws'))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts');
  assert.equal(laws.filter((l: { scope: string }) => l.scope === 'curve').length, curveFiles.length);
  for (const l of laws) {
    assert.ok(l.latex.length > 5, `${l.id} has a formula`);
    assert.ok(/\d{4}/.test(l.source), `${l.id} source cites a year: ${l.source}`);
    assert.ok(l.params.length >= 1);
  }
  const ch = laws.find((l: { id: string }) => l.id === 'chinchilla');
  assert.deepEqual(ch.params.sort(), ['A', 'B', 'E', 'alpha', 'beta']);
});

test('laws (table) prints one row per law and the sources', () => {
  const r = cli(['laws']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /chinchilla\s+sweep/);
  assert.match(r.stdout, /Hoffmann et al\. 2022/);
  assert.match(r.stdout, /Luo et al\. 2025/);
});

test('laws lists the one-input sweep laws, including the broken power laws with their parameters', () => {
  const { laws } = JSON.parse(cli(['laws', '--json']).stdout);
  const b1 = laws.find((l: { id: string }) => l.id === 'bnsl1'),
    b2 = laws.find((l: { id: string }) => l.id === 'bnsl2');
  assert.deepEqual(b1.params, ['a', 'b', 'c0', 'c1', 'd1', 'f1']);
  assert.deepEqual(b2.params, ['a', 'b', 'c0', 'c1', 'd1', 'f1', 'c2', 'd2', 'f2']);
  assert.match(b1.source, /Caballero et al\. 2023/);
  for (const id of ['saturating-power', 'pure-power', 'log-law', 'exponential'])
    assert.ok(
      laws.some((l: { id: string; scope: string }) => l.id === id && l.scope === 'sweep'),
      id,
    );
});
