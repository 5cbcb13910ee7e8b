import * as vscode from 'vscode';

/** The `scalingLens.*` settings, read once per change. Workspace-supplied regexes/mappings are dropped when untrusted. */
export interface Config {
  include: string[];
  exclude: string[];
  maxFiles: number;
  targetLoss: number | null;
  metric: string;
  curveLaw: string;
  sweepLaw: string;
  bootstrapSamples: number;
  confidence: number;
  runParameters: Record<string, number>;
  /** Tokens per step per run (`scalingLens.runTokensPerStep`), keyed like `runParameters`. */
  runTokensPerStep: Record<string, number>;
  customPatterns: { metric: string; regex: string }[];
  liveTimeoutSeconds: number;
  diagnosticsEnabled: boolean;
  codeLensEnabled: boolean;
}

export function readConfig(): Config {
  const c = vscode.workspace.getConfiguration('scalingLens');
  const trusted = vscode.workspace.isTrusted;
  const num = (k: string, d: number) => {
    const v = c.get<number>(k);
    return typeof v === 'number' && Number.isFinite(v) ? v : d;
  };
  const strs = (k: string, d: string[]) => {
    const v = c.get<unknown>(k);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : d;
  };
  const target = c.get<number | null>('targetLoss');
  const runParameters: Record<string, number> = {};
  // In an untrusted workspace only user-level (global) mappings are honoured.
  const rp = trusted
    ? c.get<Record<string, unknown>>('runParameters')
    : c.inspect<Record<string, unknown>>('runParameters')?.globalValue;
  for (const [k, v] of Object.entries(rp ?? {}))
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) runParameters[k] = v;
  const runTokensPerStep: Record<string, number> = {};
  const rt = trusted
    ? c.get<Record<string, unknown>>('runTokensPerStep')
    : c.inspect<Record<string, unknown>>('runTokensPerStep')?.globalValue;
  for (const [k, v] of Object.entries(rt ?? {}))
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) runTokensPerStep[k] = v;
  const patterns = trusted ? (c.get<unknown[]>('customPatterns') ?? []) : [];
  return {
    include: strs('include', ['**/*.log']),
    exclude: strs('exclude', ['**/node_modules/**']),
    maxFiles: Math.max(1, Math.floor(num('maxFiles', 2000))),
    targetLoss: typeof target === 'number' && Number.isFinite(target) ? target : null,
    metric: c.get<string>('metric') || 'auto',
    curveLaw: c.get<string>('curveLaw') || 'auto',
    sweepLaw: c.get<string>('sweepLaw') || 'auto',
    bootstrapSamples: Math.min(5000, Math.max(0, Math.floor(num('bootstrapSamples', 200)))),
    confidence: Math.min(0.999, Math.max(0.5, num('confidence', 0.95))),
    runParameters,
    runTokensPerStep,
    customPatterns: patterns.filter(
      (p): p is { metric: string; regex: string } =>
        typeof p === 'object' &&
        p !== null &&
        typeof (p as { metric?: unknown }).metric === 'string' &&
        typeof (p as { regex?: unknown }).regex === 'string',
    ),
    liveTimeoutSeconds: Math.max(1, num('liveTimeoutSeconds', 300)),
    diagnosticsEnabled: c.get<boolean>('diagnostics.enabled') ?? true,
    codeLensEnabled: c.get<boolean>('codeLens.enabled') ?? true,
  };
}
