/** The dashboard's issue-15 views, gathered from the controller (the computation is src/model/lawViews.ts). */
import type { Controller } from './controller';
import type { DownstreamView, HpLandscapeView } from '../protocol';
import { downstreamView, hpLandscapeView } from '../model/lawViews';
import { tokensAt } from '../model/runModel';
import { gatherSweep, pauseTurn } from './suggestHyperparameters';

export async function computeLawViews(c: Controller): Promise<{ downstream: DownstreamView; hp: HpLandscapeView }> {
  const m = c.model;
  const confidence = c.config.confidence;
  const downstream = await downstreamView(
    {
      runs: [...m.runs.values()].filter((r) => !r.meta.evaluation),
      downstreamOf: (r) => m.downstreamOf(r),
      metricOf: (r) => m.metricOf(r, c.options.metric),
      params: (r) => m.params(r),
      tokensAt: (r, step) => tokensAt(m.withTokens(r), step),
      label: (r) => r.meta.name ?? c.relativize(r.path),
    },
    c.sweepFit,
    { bootstrap: 100, confidence, pause: pauseTurn },
  );
  const sweep = await gatherSweep(c);
  const hp = await hpLandscapeView(sweep.runs, sweep.sources, { bootstrap: 100, confidence, pause: pauseTurn });
  return { downstream, hp };
}
