// Types for server.mjs (imported by test/unit/webview/preview.test.ts).
export const REPO: string;
export const CHROMIUM_ARGS: string[];
export function buildPreview(): Promise<unknown>;
export function startPreviewServer(o?: {
  build?: boolean;
}): Promise<{ url: string; port: number; close(): Promise<void> }>;
export function launchChromium(): Promise<import('playwright-core').Browser>;
