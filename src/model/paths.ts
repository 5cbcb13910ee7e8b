/**
 * Workspace containment for paths that come from settings or logs (pure: no `vscode`).
 *
 * `isInside(root, p)`: lexical — `p` resolved against nothing but itself (`..` segments collapsed), then compared
 * segment-wise with `root`, so `/w/proj/../etc` and the sibling `/w/proj2` are outside `/w/proj`. On Windows
 * (or with the `win32` path module) the comparison ignores case and accepts either separator.
 * `isInsideReal(roots, p)`: the same after resolving symlinks of both (a link inside the workspace that points
 * outside it is outside). A path that does not exist is judged lexically.
 */
import * as nodePath from 'node:path';
import { realpath } from 'node:fs/promises';

type PathModule = Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

export function isInside(root: string, p: string, pathMod: PathModule = nodePath): boolean {
  if (!root || !p || root.includes('\0') || p.includes('\0')) return false;
  const win = pathMod.sep === '\\';
  const r = pathMod.resolve(root);
  const q = pathMod.resolve(p);
  const rel = win ? pathMod.relative(r.toLowerCase(), q.toLowerCase()) : pathMod.relative(r, q);
  if (rel === '') return true;
  if (pathMod.isAbsolute(rel)) return false; // another drive (win32)
  const first = rel.split(win ? /[\\/]/ : '/')[0];
  return first !== '..';
}

export function isInsideAny(roots: readonly string[], p: string, pathMod: PathModule = nodePath): boolean {
  return roots.some((r) => isInside(r, p, pathMod));
}

export async function isInsideReal(roots: readonly string[], p: string): Promise<boolean> {
  if (!isInsideAny(roots, p)) return false;
  const real = await realpath(p).catch(() => undefined);
  if (real === undefined) return true; // not there (yet): the lexical answer stands
  for (const r of roots) {
    const rr = await realpath(r).catch(() => nodePath.resolve(r));
    if (isInside(rr, real)) return true;
  }
  return false;
}
