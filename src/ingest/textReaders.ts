/**
 * The plain-text line readers (part A), most specific first; the generic `key: value` reader comes last.
 * Registered in `registry.ts` through `TEXT_READERS`.
 */
import type { Reader } from './reader';

export const TEXT_READERS: Reader[] = [];

/** Low-confidence fallback readers, tried after every specific reader (registry appends them last). */
export const FALLBACK_READERS: Reader[] = [];
