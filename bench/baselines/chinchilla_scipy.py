#!/usr/bin/env python3
"""Baseline for `npm run bench`: the Chinchilla grid fit with scipy's L-BFGS-B, exactly the objective of
Besiroglu et al. 2024 ("Chinchilla Scaling: A replication attempt"):

    log L^ = LSE(a - alpha log N, b - beta log D, e),  objective = sum_i huber_delta(log L_i - log L^_i),
    delta = 1e-3 (scipy.special.huber), L-BFGS-B from the 4,500-start grid
    alpha, beta in {0, .5, ..., 2}; e in {-1, -.5, ..., 1}; a, b in {0, 5, ..., 25}; best kept.

Data: the Chinchilla CSV (`Model Size`, `Training FLOP`, `loss`; D = C / (6 N)), 5 highest-loss points dropped.
The gradient is analytic (like ours), so the comparison is optimiser + language, not finite differences.

  --starts K     time a random subset of K grid starts (seeded) and extrapolate the per-start cost x 4,500
  --full         run all 4,500 starts (about 100 s)
  --bootstrap B  also time B bootstrap refits (multiplicity weights, refit from the best optimum), extrapolated
                 to --bootstrap-total (default 1000)
  --weights FILE --x0 a,b,e,alpha,beta
                 bootstrap refits of exactly the resamples in FILE (float64, little-endian, one row of n
                 multiplicities per refit, as bench/run.mjs writes them) from x0, twice: with scipy's default
                 tolerances and with tolerances tight enough to land on each resample's optimum (ftol 1e-14,
                 gtol 1e-10: scipy's ftol is relative to max(|f|, 1), and this objective is ~1e-3, so the default
                 2.2e-9 stops L-BFGS-B after a few iterations, near x0). Prints per-refit alpha, beta, objective.
Prints one JSON object on stdout.
"""
import argparse, csv, json, sys, time
import numpy as np
from scipy.optimize import minimize
from scipy.special import huber, logsumexp

def load(path, drop=5):
    N, C, L = [], [], []
    with open(path, newline='') as f:
        for row in csv.DictReader(f):
            try:
                n, c, l = float(row['Model Size']), float(row['Training FLOP']), float(row['loss'])
            except (KeyError, ValueError):
                continue
            N.append(n); C.append(c); L.append(l)
    N, C, L = map(np.asarray, (N, C, L))
    D = C / (6 * N)
    keep = np.argsort(L)[: len(L) - drop] if drop else np.arange(len(L))
    keep = np.sort(keep)
    return np.log(N[keep]), np.log(D[keep]), np.log(L[keep])

def make_objective(lN, lD, lL, delta, w=None):
    w = np.ones_like(lL) if w is None else w
    def fg(p):
        a, b, e, al, be = p
        u = np.stack([a - al * lN, b - be * lD, np.full_like(lN, e)])
        lse = logsumexp(u, axis=0)
        r = lL - lse
        f = np.sum(w * huber(delta, r))
        psi = np.clip(r, -delta, delta)          # d huber / d r
        sm = np.exp(u - lse)                      # softmax weights d lse / d u_k
        c = -w * psi
        g = np.array([np.sum(c * sm[0]), np.sum(c * sm[1]), np.sum(c * sm[2]),
                      np.sum(-c * sm[0] * lN), np.sum(-c * sm[1] * lD)])
        return f, g
    return fg

def grid():
    r = lambda lo, hi, st: np.arange(lo, hi + 1e-9, st)
    axes = [r(0, 25, 5), r(0, 25, 5), r(-1, 1, 0.5), r(0, 2, 0.5), r(0, 2, 0.5)]
    mesh = np.meshgrid(*axes, indexing='ij')
    return np.stack([m.ravel() for m in mesh], axis=1)

def run_starts(fg, starts):
    best = None
    for x0 in starts:
        res = minimize(fg, x0, jac=True, method='L-BFGS-B')
        if np.isfinite(res.fun) and (best is None or res.fun < best.fun):
            best = res
    return best

TIGHT = {'ftol': 1e-14, 'gtol': 1e-10, 'maxiter': 15000}

def refit_weights(lN, lD, lL, path, x0):
    n = len(lL)
    W = np.fromfile(path, dtype='<f8').reshape(-1, n)
    out = {'n': int(n), 'refits': int(len(W))}
    for name, opts in (('default', {}), ('tight', TIGHT)):
        al, be, fun, nit = [], [], [], 0
        t0 = time.perf_counter(); c0 = time.process_time()
        for w in W:
            res = minimize(make_objective(lN, lD, lL, 1e-3, w), x0, jac=True, method='L-BFGS-B', options=opts)
            al.append(float(res.x[3])); be.append(float(res.x[4])); fun.append(float(res.fun)); nit += int(res.nit)
        out[name] = {'wall_s': time.perf_counter() - t0, 'cpu_s': time.process_time() - c0, 'options': opts,
                     'alpha': al, 'beta': be, 'objective': fun, 'mean_iterations': nit / len(W)}
    return out

def natural(x):
    a, b, e, al, be = x
    return {'A': float(np.exp(a)), 'B': float(np.exp(b)), 'E': float(np.exp(e)), 'alpha': float(al), 'beta': float(be)}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('csv')
    ap.add_argument('--starts', type=int, default=300)
    ap.add_argument('--full', action='store_true')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--bootstrap', type=int, default=0)
    ap.add_argument('--bootstrap-total', type=int, default=1000)
    ap.add_argument('--weights')
    ap.add_argument('--x0')
    args = ap.parse_args()
    lN, lD, lL = load(args.csv)
    if args.weights:
        json.dump(refit_weights(lN, lD, lL, args.weights, np.array([float(v) for v in args.x0.split(',')])), sys.stdout)
        print()
        return
    fg = make_objective(lN, lD, lL, 1e-3)
    G = grid()
    rng = np.random.default_rng(args.seed)
    starts = G if args.full else G[rng.choice(len(G), size=min(args.starts, len(G)), replace=False)]
    t0 = time.perf_counter(); c0 = time.process_time()
    best = run_starts(fg, starts)
    wall = time.perf_counter() - t0; cpu = time.process_time() - c0
    k = len(starts)
    out = {
        'n': int(len(lL)), 'starts_run': int(k), 'grid': int(len(G)), 'full': bool(args.full),
        'wall_s': wall, 'cpu_s': cpu,
        'per_start_wall_s': wall / k, 'per_start_cpu_s': cpu / k,
        'grid_wall_s_est': wall / k * len(G), 'grid_cpu_s_est': cpu / k * len(G),
        'objective': float(best.fun), 'params': natural(best.x),
    }
    if args.bootstrap > 0:
        n = len(lL)
        t0 = time.perf_counter(); c0 = time.process_time()
        for _ in range(args.bootstrap):
            w = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
            minimize(make_objective(lN, lD, lL, 1e-3, w), best.x, jac=True, method='L-BFGS-B')
        bw = time.perf_counter() - t0; bc = time.process_time() - c0
        out['bootstrap'] = {'refits_run': args.bootstrap, 'wall_s': bw, 'cpu_s': bc,
                            'total_wall_s_est': bw / args.bootstrap * args.bootstrap_total,
                            'total_cpu_s_est': bc / args.bootstrap * args.bootstrap_total,
                            'total': args.bootstrap_total}
    json.dump(out, sys.stdout)
    print()

if __name__ == '__main__':
    main()
