/**
 * Code both bundles use: the extension host (src/) and the dashboard webview (webview/) import it, so there is
 * one copy. Pure, no `vscode`, no DOM.
 */

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12, p: 1e15 };

/** Parses "1.3B", "1.3G", "125m", "7e9", "20k", "6.2e23", "1,000,000" → number; NaN when not a positive quantity. */
export function parseQuantity(s: string): number {
  const m = /^\s*([0-9][0-9_,]*(?:\.[0-9]*)?|\.[0-9]+)(?:e([+-]?[0-9]+))?\s*([kmbgtp])?\s*$/i.exec(s);
  if (!m) return NaN;
  const v = Number(m[1].replace(/[_,]/g, '')) * 10 ** Number(m[2] ?? 0) * (m[3] ? SUFFIX[m[3].toLowerCase()] : 1);
  return Number.isFinite(v) && v > 0 ? v : NaN;
}
