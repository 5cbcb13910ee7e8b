import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage, MAX_DATA_URL } from '../../../src/protocol';

test('valid webview messages parse to themselves', () => {
  const ok: unknown[] = [
    { type: 'ready' },
    { type: 'exportCsv' },
    { type: 'setOptions', options: { xAxis: 'tokens', logX: true, smoothing: 0.6, metric: 'val/loss', tab: 'sweep' } },
    { type: 'setOptions', options: { filter: 'gpt -medium' } },
    { type: 'setOptions', options: { filter: '' } },
    { type: 'selectRun', runId: '/ws/a.log' },
    { type: 'toggleExclude', runId: '/ws/a.log' },
    { type: 'predict', axis: 'C', value: 1e21 },
    { type: 'exportPng', dataUrl: 'data:image/png;base64,iVBORw0KGgo=', name: 'loss-vs-step' },
    { type: 'copyLaw', format: 'latex' },
    { type: 'revealLog', runId: 'x' },
  ];
  for (const m of ok) assert.deepEqual(parseWebviewMessage(m), m, JSON.stringify(m));
});

test('malformed, oversized, unknown and hostile messages are rejected', () => {
  const bad: unknown[] = [
    null,
    undefined,
    42,
    'ready',
    [],
    [{ type: 'ready' }],
    {},
    { type: 'nope' },
    { type: 'READY' },
    { type: 'setOptions' },
    { type: 'setOptions', options: { xAxis: 'banana' } },
    { type: 'setOptions', options: { smoothing: 5 } },
    { type: 'setOptions', options: { smoothing: NaN } },
    { type: 'setOptions', options: { __proto__x: 1 } },
    { type: 'setOptions', options: { logX: 'yes' } },
    { type: 'setOptions', options: { filter: 3 } },
    { type: 'setOptions', options: { filter: 'x'.repeat(201) } },
    { type: 'selectRun' },
    { type: 'selectRun', runId: 5 },
    { type: 'selectRun', runId: '' },
    { type: 'selectRun', runId: 'x'.repeat(5000) },
    { type: 'predict', axis: 'N', value: -1 },
    { type: 'predict', axis: 'N', value: Infinity },
    { type: 'predict', axis: 'Q', value: 3 },
    { type: 'predict', axis: 'N', value: '1e9' },
    { type: 'exportPng', dataUrl: 'javascript:alert(1)', name: 'a' },
    { type: 'exportPng', dataUrl: 'data:image/png;base64,AA', name: '../../etc/passwd' },
    { type: 'exportPng', dataUrl: 'data:image/png;base64,' + 'A'.repeat(MAX_DATA_URL), name: 'big' },
    { type: 'copyLaw', format: 'html' },
  ];
  for (const m of bad)
    assert.equal(parseWebviewMessage(m), null, `accepted: ${String(JSON.stringify(m))?.slice(0, 80)}`);
});

test('error messages are truncated, not trusted', () => {
  const m = parseWebviewMessage({ type: 'error', message: 'x'.repeat(10_000) });
  assert.equal(m?.type, 'error');
  assert.equal((m as { message: string }).message.length, 2000);
});
