// Types for fake-state.mjs (imported by test/unit/webview/preview.test.ts). The state is
// described loosely on purpose: the test narrows what it reads.
export const LIVE_RUN: string;
export const METRIC: string;
export function loss(N: number, D: number): number;
export function makePoints(runId: string, fromStep: number, count: number, seed?: number): unknown[];
export function makeState(): unknown;
export function makeManyState(n?: number): unknown;
