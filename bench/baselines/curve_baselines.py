#!/usr/bin/env python3
"""Baselines for the final-loss backtest on the published-curve corpus (test/fixtures/curves, issue 12).

For every curve of index.json and every cut c (default 10 %, 30 %, 50 %):
  prefix  = the logged points with 0 < step <= c * last_step   (step 0 is left out: t^-alpha is undefined there)
  target  = the final logged loss (the last row of the curve's CSV)
and two forecasts of the target from the prefix alone:
  pow3    L(t) = E + A * t^(-alpha), fitted with scipy.optimize.curve_fit (trf, least squares on L), bounds
          E >= 0, A >= 0, 0 < alpha <= 1 (alpha >= 1e-6); t is rescaled by the last prefix step for
          conditioning (E and alpha do not change, A absorbs the scale); start E = 0.9 min L, alpha = 0.5;
          evaluated at the final logged step;
  last    the last loss of the prefix.
Error = |forecast - target| / target (relative). A prefix with fewer than 3 points, or a fit that raises, is
reported with status and no error (counted in the summary, never silently dropped).

Summaries (median and worst error per cut and method) are given for dev, holdout and all, each over every
curve, over the curves without the tag `diverges` (runs that blow up: their final loss is not a curve-law
target), and over the stable language-model pretraining curves (domain lm-pretraining*); plus per family. Prints one JSON object on stdout; --table also prints a readable table on stderr.

Usage: curve_baselines.py [--index test/fixtures/curves/index.json] [--cuts 0.1,0.3,0.5] [--split all|dev|holdout|holdout2|holdout3|holdout4|holdout5|holdout6|holdout7|holdout8|holdout9|holdout10|holdout11|holdout12|holdout13]
                          [--out FILE] [--table]
"""
import argparse, csv, json, math, os, sys, warnings
import numpy as np
from scipy.optimize import curve_fit, OptimizeWarning

MIN_FIT_POINTS = 3


def load_curve(path):
    steps, losses = [], []
    with open(path, newline='') as f:
        for row in csv.DictReader(f):
            steps.append(float(row['step']))
            losses.append(float(row['loss']))
    return np.asarray(steps), np.asarray(losses)


def pow3(t, E, A, alpha):
    return E + A * np.power(t, -alpha)


def fit_pow3(t, y):
    """Bounded pow3 fit; returns (E, A, alpha, t_ref). Raises on failure."""
    t_ref = t[-1]
    x = t / t_ref
    E0 = 0.9 * float(np.min(y))
    alpha0 = 0.5
    A0 = max(float(y[0] - E0) * float(x[0]) ** alpha0, 1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', OptimizeWarning)
        p, _ = curve_fit(pow3, x, y, p0=[E0, A0, alpha0], bounds=([0.0, 0.0, 1e-6], [np.inf, np.inf, 1.0]),
                         method='trf', maxfev=20000)
    return float(p[0]), float(p[1]), float(p[2]), float(t_ref)


def backtest_curve(steps, losses, cut):
    final_step, target = float(steps[-1]), float(losses[-1])
    cut_step = cut * final_step
    mask = (steps > 0) & (steps <= cut_step)
    t, y = steps[mask], losses[mask]
    out = {'cut': cut, 'cut_step': cut_step, 'n_fit': int(mask.sum()), 'final_step': final_step, 'target': target}
    if len(t) == 0:
        out['status'] = 'empty-prefix'
        return out
    last = float(y[-1])
    out['last'] = {'forecast': last, 'error': abs(last - target) / target}
    if len(t) < MIN_FIT_POINTS:
        out['status'] = 'too-few-points-for-pow3'
        return out
    try:
        E, A, alpha, t_ref = fit_pow3(t, y)
    except (RuntimeError, ValueError) as err:
        out['status'] = f'pow3-fit-failed: {err}'
        return out
    pred = float(pow3(final_step / t_ref, E, A, alpha))
    out['pow3'] = {'E': E, 'A_at_tref': A, 'alpha': alpha, 't_ref': t_ref, 'forecast': pred,
                   'error': abs(pred - target) / target}
    out['status'] = 'ok'
    return out


def summarise(rows, cuts):
    """rows: per-curve results. -> {cut: {method: {n, median, worst, worst_id, missing}}}"""
    out = {}
    for cut in cuts:
        per = {}
        for method in ('pow3', 'last'):
            errs = [(r['cuts'][str(cut)][method]['error'], r['id']) for r in rows if method in r['cuts'][str(cut)]]
            missing = [r['id'] for r in rows if method not in r['cuts'][str(cut)]]
            if errs:
                e = np.array([x for x, _ in errs])
                worst = max(errs)
                per[method] = {'n': len(errs), 'median': float(np.median(e)), 'mean': float(np.mean(e)),
                               'worst': worst[0], 'worst_id': worst[1], 'missing': missing}
            else:
                per[method] = {'n': 0, 'median': None, 'mean': None, 'worst': None, 'worst_id': None, 'missing': missing}
        out[str(cut)] = per
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--index', default=os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'curves', 'index.json'))
    ap.add_argument('--cuts', default='0.1,0.3,0.5')
    ap.add_argument('--split', choices=['all', 'dev', 'holdout', 'holdout2', 'holdout3', 'holdout4', 'holdout5', 'holdout6', 'holdout7', 'holdout8', 'holdout9', 'holdout10', 'holdout11', 'holdout12', 'holdout13'], default='all')
    ap.add_argument('--out')
    ap.add_argument('--table', action='store_true')
    args = ap.parse_args()
    cuts = [float(c) for c in args.cuts.split(',')]
    root = os.path.dirname(os.path.abspath(args.index))
    with open(args.index) as f:
        index = json.load(f)['curves']
    curves = [c for c in index if args.split == 'all' or c['split'] == args.split]
    rows = []
    for c in curves:
        steps, losses = load_curve(os.path.join(root, c['file']))
        rows.append({'id': c['id'], 'family': c['family'], 'split': c['split'], 'tags': c.get('tags', []),
                     'domain': c.get('domain', ''),
                     'cuts': {str(cut): backtest_curve(steps, losses, cut) for cut in cuts}})
    summary = {}
    for split in ('dev', 'holdout', 'holdout2', 'holdout3', 'holdout4', 'holdout5', 'holdout6', 'holdout7', 'holdout8', 'holdout9', 'holdout10', 'holdout11', 'holdout12', 'holdout13', 'all'):
        sel = [r for r in rows if split == 'all' or r['split'] == split]
        if not sel:
            continue
        stable = [r for r in sel if 'diverges' not in r['tags']]
        pretrain = [r for r in stable if r['domain'].startswith('lm-pretraining')]
        summary[split] = {'curves': len(sel), 'stable_curves': len(stable), 'pretraining_curves': len(pretrain),
                          'all_curves': summarise(sel, cuts), 'without_diverging': summarise(stable, cuts),
                          'pretraining_without_diverging': summarise(pretrain, cuts)}
    by_family = {}
    for fam in sorted({r['family'] for r in rows}):
        sel = [r for r in rows if r['family'] == fam]
        by_family[fam] = {'curves': len(sel), 'holdout': sum(r['split'] == 'holdout' for r in sel),
                          'summary': summarise(sel, cuts)}
    summary['by_family'] = by_family
    result = {'method': {'pow3': 'L = E + A t^-alpha, scipy curve_fit trf, E>=0, A>=0, 0<alpha<=1, fit on 0<step<=cut*last_step',
                         'last': 'last loss of the prefix', 'error': '|forecast - final logged loss| / final logged loss'},
              'cuts': cuts, 'summary': summary, 'curves': rows}
    text = json.dumps(result, indent=1)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(text + '\n')
    print(text)
    if args.table:
        print_table(summary, cuts)


def print_table(summary, cuts):
    pct = lambda v: '   —  ' if v is None else f'{100 * v:6.2f}'
    for split, s in summary.items():
        if split == 'by_family':
            continue
        for view, key in (('pretraining_without_diverging', 'pretraining_curves'), ('without_diverging', 'stable_curves'),
                          ('all_curves', 'curves')):
            n = s[key]
            print(f'\n{split} ({view.replace("_", " ")}, {n} curves)   median / worst relative error of the final loss, %', file=sys.stderr)
            print(f'{"cut":>5} | {"pow3 median":>11} {"pow3 worst":>10} | {"last median":>11} {"last worst":>10} | pow3 missing', file=sys.stderr)
            for cut in cuts:
                p, l = s[view][str(cut)]['pow3'], s[view][str(cut)]['last']
                print(f'{int(round(cut * 100)):>4}% | {pct(p["median"]):>11} {pct(p["worst"]):>10} | {pct(l["median"]):>11} {pct(l["worst"]):>10} | {len(p["missing"])}', file=sys.stderr)
    print('\nper family (all splits, every curve): median relative error %, pow3 / last', file=sys.stderr)
    print(f'{"family":24} {"n":>3} ' + ' '.join(f'{int(round(c * 100)):>3}%: pow3  last ' for c in cuts), file=sys.stderr)
    for fam, f in summary['by_family'].items():
        cells = ' '.join(f'     {pct(f["summary"][str(c)]["pow3"]["median"])} {pct(f["summary"][str(c)]["last"]["median"])}' for c in cuts)
        print(f'{fam:24} {f["curves"]:>3} {cells}', file=sys.stderr)


if __name__ == '__main__':
    main()
