import * as path from 'node:path';
import * as fs from 'node:fs';

/** Repository root (this file is test/unit/helpers/paths.ts). */
export const REPO = path.resolve(__dirname, '..', '..', '..');
/** `../shared/data` beside the clone (CI puts it there). Tests that use it fail loudly when it is missing. */
export const SHARED_DATA = path.resolve(REPO, '..', 'shared', 'data');

export function shared(...parts: string[]): string {
  const p = path.join(SHARED_DATA, ...parts);
  if (!fs.existsSync(p)) throw new Error(`shared data missing: ${p} (clone with ../shared beside the repo)`);
  return p;
}
