/**
 * Counters of live resources by kind (event subscriptions, file watchers, dashboard panels, ping timers), so that
 * leak tests can check that opening and closing the dashboard, or changing the workspace folders, returns every
 * count to where it was. Read through the extension's API (`ScalingLensApi.live()`). Costs one map update per
 * subscribe/dispose.
 */
import type * as vscode from 'vscode';

const live = new Map<string, number>();

function add(kind: string, n: number): void {
  const v = (live.get(kind) ?? 0) + n;
  if (v === 0) live.delete(kind);
  else live.set(kind, v);
}

/** Counts `d` under `kind` until it is disposed (the first dispose only). Returns `d`. */
export function track<T extends vscode.Disposable>(kind: string, d: T): T {
  add(kind, 1);
  const dispose = d.dispose.bind(d);
  let done = false;
  d.dispose = () => {
    if (!done) {
      done = true;
      add(kind, -1);
    }
    return dispose();
  };
  return d;
}

/** The same event, with every live subscription counted under `kind`. */
export function countedEvent<T>(kind: string, event: vscode.Event<T>): vscode.Event<T> {
  return (listener, thisArgs, disposables) => {
    const sub = track(kind, event(listener, thisArgs));
    if (Array.isArray(disposables)) disposables.push(sub);
    return sub;
  };
}

/** A timer counted under `kind` until it fires or is cleared with the returned function. */
export function countedTimeout(kind: string, fn: () => void, ms: number): () => void {
  add(kind, 1);
  let live = true;
  const t = setTimeout(() => {
    if (live) {
      live = false;
      add(kind, -1);
    }
    fn();
  }, ms);
  return () => {
    if (live) {
      live = false;
      add(kind, -1);
      clearTimeout(t);
    }
  };
}

/** Live counts by kind (kinds at zero are left out). */
export function liveCounts(): Record<string, number> {
  return Object.fromEntries([...live].sort(([a], [b]) => a.localeCompare(b)));
}
