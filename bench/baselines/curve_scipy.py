#!/usr/bin/env python3
"""Baseline for `npm run bench`: fit pow3  L(x) = c + a * x^(-alpha)  to the same synthetic 100k-point learning
curve with scipy.optimize.curve_fit (Levenberg-Marquardt via MINPACK, analytic Jacobian), log-space residuals
as in our curve fits (log L - log L^). Input: a float64 little-endian file of x then y (n each).
Timed in-process (no interpreter start-up). Prints JSON.
Usage: curve_scipy.py FILE N [REPEATS]"""
import json, sys, time
import numpy as np
from scipy.optimize import least_squares

path, n = sys.argv[1], int(sys.argv[2])
reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
raw = np.fromfile(path, dtype='<f8')
x, y = raw[:n], raw[n:2 * n]
xs = x / (x[0] / 2)          # same rescaling as ours: first point at x~ = 2
ly = np.log(y)

def res(p):
    return np.log(p[0] + p[1] * xs ** (-p[2])) - ly

def jac(p):
    t = xs ** (-p[2]); yh = p[0] + p[1] * t
    return np.stack([1 / yh, t / yh, -p[1] * t * np.log(xs) / yh], axis=1)

p0 = np.array([y.min() * 0.9, (y[0] - y.min()) * 2 ** 0.5, 0.5])
times, cpus = [], []
for _ in range(reps):
    t0 = time.perf_counter(); c0 = time.process_time()
    r = least_squares(res, p0, jac=jac, method='trf', bounds=([0, 0, 1e-4], [np.inf, np.inf, 6]))
    times.append(time.perf_counter() - t0); cpus.append(time.process_time() - c0)
print(json.dumps({'n': n, 'wall_s': min(times), 'cpu_s': min(cpus), 'params': {'c': r.x[0], 'a': r.x[1], 'alpha': r.x[2]}, 'nfev': int(r.nfev)}))
