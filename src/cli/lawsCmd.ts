/** `scaling-lens laws [--json]`: the law catalog with formulas and sources. */
import { parseArgs, opt, type OptionSpecs } from './args';
import type { Command } from './command';
import { UsageError } from './errors';
import { table, toJson } from './output';
import type { LawsOutput } from './schema';
import { SWEEP_LAWS } from '../fit/sweep';
import { CURVE_LAWS, EXPLICIT_CURVE_LAWS } from '../fit/curve/laws/index';
import { MPL_LEVEL_LATEX, MPL_LEVEL_PARAM_NAMES, MPL_SOURCE } from '../fit/schedule/mpl';
import { TISSUE_LATEX, TISSUE_PARAM_NAMES, TISSUE_SOURCE } from '../fit/schedule/tissue';
import { TABLE_LAWS } from '../fit/tableLaws';

export const SCHEDULE_LAW_IDS = ['mpl', 'tissue'];

export function catalog(): LawsOutput['laws'] {
  const sweep = SWEEP_LAWS.map((l) => ({
    id: l.id,
    name: l.name,
    scope: 'sweep' as const,
    latex: l.latex,
    source: l.source,
    params: l.natural ? Object.keys(l.natural(l.params.map(() => 0))) : l.params.map((p) => p.name),
    inputs: l.inputs,
  }));
  // the automatic curve laws, and the ones fitted only when asked for by name that are curve laws of their own (not
  // a sweep law adapted to a curve, listed with the sweep laws above)
  const byNameOnly = EXPLICIT_CURVE_LAWS.filter((l) => !SWEEP_LAWS.some((s) => s.id === l.id));
  const curve = [...CURVE_LAWS, ...byNameOnly].map((l) => ({
    id: l.id,
    name: l.name,
    scope: 'curve' as const,
    latex: l.latex,
    source: l.source,
    params: l.params.map((p) => p.name),
    inputs: ['x'],
  }));
  const schedule = [
    {
      id: 'mpl',
      // The default fit ('level'): the published MPL's anneal term scaled by P^(−ξ); ξ = 0 is the published law,
      // which the fit falls back to (and says so) when ξ ends at its bound.
      name: 'Multi-power law L(t; η), anneal term scaled by the loss level (ξ = 0: the published MPL)',
      scope: 'schedule' as const,
      latex: MPL_LEVEL_LATEX,
      source: MPL_SOURCE,
      params: [...MPL_LEVEL_PARAM_NAMES],
      inputs: ['step', 'lr'],
    },
    {
      id: 'tissue',
      name: 'LR-annealing law L(s; η)',
      scope: 'schedule' as const,
      latex: TISSUE_LATEX,
      source: TISSUE_SOURCE,
      params: [...TISSUE_PARAM_NAMES],
      inputs: ['step', 'lr'],
    },
  ];
  const tableLaws = TABLE_LAWS.map((l) => ({
    id: l.id,
    name: l.name,
    scope: l.kind,
    latex: l.latex,
    source: l.source,
    params: Object.keys(l.natural ? l.natural(l.params.map(() => 1)) : {}),
    inputs: l.inputs,
  }));
  return [...sweep, ...curve, ...schedule, ...tableLaws];
}

const options: OptionSpecs = {
  json: { type: 'flag', help: 'print JSON (schema: LawsOutput in src/cli/schema.ts)' },
  help: { type: 'flag', help: 'show this help' },
};

export const lawsCommand: Command = {
  name: 'laws',
  summary: 'list the laws with their formulas and sources',
  usage: 'scaling-lens laws [--json]',
  description:
    'sweep laws fit across runs (fit --law; one-input laws along --x C, N or D), curve laws fit one run\n(fit/predict --law; bnsl1/bnsl2 also fit one run when chosen), schedule laws fit finished runs and predict a\nnew LR schedule (predict --fit); table laws (downstream, over-training, data-constrained) fit one CSV with one\nrow per model (fit FILE --law ID; predict --fit FILE --law ID --at X).',
  options,
  async run(argv, io) {
    const a = parseArgs('laws', argv, options);
    if (a.positionals.length) throw new UsageError(`laws takes no arguments (got "${a.positionals[0]}")`, 'laws');
    const laws = catalog();
    if (opt.flag(a, 'json')) {
      io.stdout(toJson({ laws } satisfies LawsOutput) + '\n');
      return 0;
    }
    const rows = [
      ['id', 'scope', 'parameters', 'formula'],
      ...laws.map((l) => [
        l.id,
        l.scope,
        l.params.join(', '),
        l.latex.length > 70 ? l.latex.slice(0, 67) + '…' : l.latex,
      ]),
    ];
    const sources = laws.map((l) => `  ${l.id}: ${l.source}`).join('\n');
    io.stdout(`${table(rows)}\n\nsources:\n${sources}\n`);
    return 0;
  },
};
