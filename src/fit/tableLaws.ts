/** Catalog of table laws (one row per model, named columns): `fit/predict FILE --law ID` in the CLI. */
import type { TableLaw } from './tableLaw';
import { downstreamSigmoidLaw } from './laws/downstreamSigmoid';
import { downstreamExpLaw } from './laws/downstreamExp';
import { overtrainingLaw } from './laws/overtraining';
import { dataConstrainedLaw } from './laws/dataConstrained';
import { stepLawLr } from './laws/stepLawLr';
import { stepLawBatch } from './laws/stepLawBatch';

export const TABLE_LAWS: TableLaw[] = [
  downstreamSigmoidLaw,
  downstreamExpLaw,
  overtrainingLaw,
  dataConstrainedLaw,
  stepLawLr,
  stepLawBatch,
];

export function tableLawById(id: string): TableLaw | undefined {
  return TABLE_LAWS.find((l) => l.id === id);
}
