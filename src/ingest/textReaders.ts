/**
 * The plain-text line readers (part A), most specific first; the general reader (structure inference) comes last.
 * Registered in `registry.ts` through `TEXT_READERS` / `FALLBACK_READERS`.
 */
import type { Reader } from './reader';
import { nanogptReader } from './readers/nanogpt';
import { moddedNanogptReader } from './readers/moddedNanogpt';
import { llmcReader } from './readers/llmc';
import { megatronReader } from './readers/megatron';
import { olmoReader } from './readers/olmo';
import { hfStdoutReader } from './readers/hfStdout';
import { fairseqReader } from './readers/fairseq';
import { torchtitanReader } from './readers/torchtitan';
import { litgptReader } from './readers/litgpt';
import { nanochatReader } from './readers/nanochat';
import { inferredReader } from './readers/inferred';
import { kvTableReader } from './readers/kvTable';

export const TEXT_READERS: Reader[] = [
  moddedNanogptReader,
  llmcReader,
  nanochatReader,
  nanogptReader,
  megatronReader,
  olmoReader,
  hfStdoutReader,
  fairseqReader,
  torchtitanReader,
  litgptReader,
  kvTableReader,
];

/** Low-confidence fallback readers, tried after every specific reader (registry appends them last). */
export const FALLBACK_READERS: Reader[] = [inferredReader];
