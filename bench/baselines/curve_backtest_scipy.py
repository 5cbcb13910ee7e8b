#!/usr/bin/env python3
"""Baselines for `npm run backtest`: for each task (a curve prefix and the x to forecast), fit the bounded pow3
L(x) = c + a * x^(-alpha), 0 <= alpha <= 1, c >= 0, a >= 0, with scipy.optimize.curve_fit (trust-region
reflective, least squares on the loss itself as a user would write it), and forecast L(x_at); a
95 % interval from the fit's covariance (delta method), as curve_fit users read it.
Input: JSON file [{id, x: [...], y: [...], at: X}]. Output: JSON [{id, value, lower, upper}] on stdout.
Usage: curve_backtest_scipy.py TASKS.json"""
import json, sys, warnings
import numpy as np
from scipy.optimize import curve_fit

warnings.filterwarnings('ignore')
tasks = json.load(open(sys.argv[1]))
out = []
for t in tasks:
    x = np.asarray(t['x'], float); y = np.asarray(t['y'], float)
    keep = (x > 0) & np.isfinite(y) & (y > 0)   # the law is undefined at x <= 0 (ours drops those points too)
    x, y = x[keep], y[keep]
    s = x[0] / 2 if x[0] > 0 else 1.0   # same rescaling as ours (first point at 2): keeps a in range
    xs = x / s; xa = t['at'] / s
    f = lambda x, c, a, al: c + a * x ** (-al)
    try:
        p0 = [max(y.min() * 0.9, 0), max(y[0] - y.min(), 1e-6) * 2 ** 0.5, 0.5]
        p, cov = curve_fit(f, xs, y, p0=p0, bounds=([0, 0, 0], [np.inf, np.inf, 1]), maxfev=20000)
        v = f(xa, *p)
        g = np.array([1.0, xa ** (-p[2]), -p[1] * xa ** (-p[2]) * np.log(xa)])
        sd = float(np.sqrt(max(g @ cov @ g, 0))) if np.all(np.isfinite(cov)) else float('nan')
        out.append({'id': t['id'], 'value': float(v), 'lower': float(v - 1.96 * sd), 'upper': float(v + 1.96 * sd)})
    except Exception as e:  # a failed fit is reported, not dropped
        out.append({'id': t['id'], 'value': None, 'error': str(e)[:80]})
fin = lambda v: v if isinstance(v, float) and np.isfinite(v) else None   # strict JSON: no NaN/Infinity
print(json.dumps([{k: (fin(v) if isinstance(v, float) else v) for k, v in o.items()} for o in out]))
