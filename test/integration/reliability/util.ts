/**
 * Helpers of the reliability session (test/harness/run-code-server-tests.mjs --session reliability): a forced GC
 * and memory figures of THIS process — the extension host the suites run in — and the dashboard lifecycle.
 */
import * as vscode from 'vscode';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { ScalingLensApi } from '../../../src/extension';
import type { Dashboard } from '../../../src/host/dashboard';
import { until } from '../suite/util';
import { profile as cpuProfile } from '../../reliability/cpuProfile';

/** SCALING_LENS_FULL=1 (passed through by the launcher): full size. */
export const FULL = process.env.SCALING_LENS_FULL === '1';

let gcFn: (() => void) | undefined;
/** A full GC of the extension host (`--expose-gc` turned on at run time). */
export function gc(): void {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

/** MB: V8 heap after GC, resident set, and memory outside the V8 heap (ArrayBuffers included). */
export interface Mem {
  heapMb: number;
  rssMb: number;
  externalMb: number;
}

/** Heap (after a full GC), RSS and external memory of the extension host, in MB. */
export function memory(): Mem {
  gc();
  const m = process.memoryUsage();
  // `external` already includes `arrayBuffers` (typed-array storage such as the series columns).
  return { heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20, externalMb: m.external / 2 ** 20 };
}

/** Active timers of the whole extension host process (every extension's, VS Code's and ours). */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** Opens the dashboard and waits until its webview has loaded, got the full state and answered a ping. */
export async function openDashboard(a: ScalingLensApi): Promise<Dashboard> {
  await vscode.commands.executeCommand('scalingLens.openDashboard');
  const d = await until(() => a.dashboard(), 20_000, 'the dashboard');
  await until(() => d.probe.sent.some((m) => m.type === 'init'), 60_000, 'the webview to load and get the full state');
  await until(async () => (await d.probe.ping(10_000)) !== undefined, 60_000, 'a ping answered by the webview');
  return d;
}

export const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[s.length >> 1] : NaN;
};
export const quantile = (a: number[], q: number): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};

/** CPU profile of this extension host while `work` runs; see test/reliability/cpuProfile.ts. */
export async function profile<T>(work: () => Promise<T>, out?: string): Promise<{ result: T; top: string[] }> {
  return cpuProfile(work, { out });
}
