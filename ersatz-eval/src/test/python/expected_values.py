#!/usr/bin/env python3
"""Independent reference values for ersatz-eval's unit tests.

Writes small fixture tables (src/test/resources/fixtures/*.csv) and the values every metric
must take on them (src/test/resources/expected/fixture_expected.json), computed here with
numpy, scipy, pandas and scikit-learn from the definitions in docs/evaluation.md, not from the
Java code. Run from ersatz-eval/:  /usr/bin/python3 src/test/python/expected_values.py
(Debian 12: numpy 1.24, scipy 1.10, pandas 1.5, scikit-learn 1.2).
"""
import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error, r2_score, roc_auc_score
from sklearn.neighbors import NearestNeighbors

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, '..', 'resources')
FIX = os.path.join(RES, 'fixtures')
os.makedirs(FIX, exist_ok=True)
os.makedirs(os.path.join(RES, 'expected'), exist_ok=True)


# ------------------------------------------------------------------ fixture tables
def make(rng, n, shift, invent):
    num1 = rng.normal(10 + shift, 3, n).round(3)
    num2 = (0.6 * num1 + rng.normal(0, 2 + shift, n)).round(3)
    num1[rng.random(n) < 0.08] = np.nan
    few = rng.integers(0, 5 if not invent else 6, n)
    cat1 = rng.choice(list('abcde'), n, p=[0.4, 0.25, 0.15, 0.1, 0.1] if not shift else
                      [0.3, 0.3, 0.2, 0.1, 0.1]).astype(object)
    cat1[rng.random(n) < 0.05] = ''
    levels = ['x', 'y', 'z'] + (['w'] if invent else [])
    cat2 = np.where(num1 > 10, rng.choice(levels, n), 'x').astype(object)
    df = pd.DataFrame({'num1': num1, 'num2': num2, 'few': few, 'cat1': cat1, 'cat2': cat2})
    return df


rng = np.random.default_rng(42)
real = make(rng, 300, 0.0, False)
syn = make(rng, 250, 0.5, True)
# the synthetic table writes its integer column as 1.0, 2.0...: levels are aligned by value
syn_out = syn.copy()
syn_out['few'] = syn_out['few'].astype(float).map(lambda v: f'{v:.1f}')
real.to_csv(os.path.join(FIX, 'real.csv'), index=False, na_rep='')
syn_out.to_csv(os.path.join(FIX, 'synthetic.csv'), index=False, na_rep='')
real = pd.read_csv(os.path.join(FIX, 'real.csv'), dtype=str, keep_default_na=False)
syn = pd.read_csv(os.path.join(FIX, 'synthetic.csv'), dtype=str, keep_default_na=False)

CONT = ['num1', 'num2']
CAT = ['few', 'cat1', 'cat2']
COLS = ['num1', 'num2', 'few', 'cat1', 'cat2']


def typed(df):
    out = {}
    for c in COLS:
        if c in CONT:
            out[c] = pd.to_numeric(df[c].replace('', np.nan)).astype(float).to_numpy()
        else:
            s = df[c].astype(str)
            num = pd.to_numeric(s, errors='coerce')
            s = np.where(num.notna() & (num % 1 == 0), num.fillna(0).astype('int64').astype(str), s)
            out[c] = np.asarray(s, dtype=object)
    return out


R, S = typed(real), typed(syn)


# ------------------------------------------------------------------ quality (SDMetrics 0.13)
def ks_complement(a, b):
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    return 1 - stats.ks_2samp(a, b).statistic


def tv_complement(a, b):
    cats = sorted(set(a) | set(b))
    ra = np.array([np.sum(a == c) for c in cats], float)
    sb = np.array([np.sum(b == c) for c in cats], float)
    ra[(ra == 0) & (sb > 0)] += 1e-6
    return 1 - 0.5 * np.abs(sb / sb.sum() - ra / ra.sum()).sum()


def bins_sdm(x):
    edges = np.histogram_bin_edges(x[~np.isnan(x)], bins=10)
    return np.digitize(x, edges)


def contingency(a_r, b_r, a_s, b_s):
    tr = pd.crosstab(pd.Series(a_r, dtype=str), pd.Series(b_r, dtype=str), normalize=True)
    ts = pd.crosstab(pd.Series(a_s, dtype=str), pd.Series(b_s, dtype=str), normalize=True)
    tr, ts = tr.align(ts, fill_value=0)
    tr, ts = tr.fillna(0), ts.fillna(0)
    return 1 - 0.5 * np.abs(tr.to_numpy() - ts.to_numpy()).sum()


def corr_sim(xr, yr, xs, ys):
    def r(x, y):
        ok = ~(np.isnan(x) | np.isnan(y))
        return stats.pearsonr(x[ok], y[ok])[0]
    rr, rs = r(xr, yr), r(xs, ys)
    return 1 - abs(rr - rs) / 2, rr, rs


shapes = {}
for c in COLS:
    shapes[c] = ks_complement(R[c], S[c]) if c in CONT else tv_complement(R[c], S[c])
pairs = []
for i, a in enumerate(COLS):
    for b in COLS[i + 1:]:
        if a in CONT and b in CONT:
            s, rr, rs = corr_sim(R[a], R[b], S[a], S[b])
            pairs.append({'column_1': a, 'column_2': b, 'score': s, 'real_corr': rr, 'synth_corr': rs})
        else:
            ar = bins_sdm(R[a]) if a in CONT else R[a]
            as_ = bins_sdm(S[a]) if a in CONT else S[a]
            br = bins_sdm(R[b]) if b in CONT else R[b]
            bs = bins_sdm(S[b]) if b in CONT else S[b]
            pairs.append({'column_1': a, 'column_2': b, 'score': contingency(ar, br, as_, bs)})
shape_mean = float(np.mean(list(shapes.values())))
pair_mean = float(np.mean([p['score'] for p in pairs]))


# ------------------------------------------------------------------ accuracy (binned 1-TVD)
def acc_bins(col):
    """Real-fitted bins: deciles (type 7) for continuous, bin = #breaks < v, missing last;
    9 most frequent real levels (ties by first appearance across real then synthetic) + other."""
    if col in CONT:
        xr = R[col][~np.isnan(R[col])]
        br = np.unique(np.quantile(xr, np.arange(1, 10) / 10))
        def f(x):
            out = np.searchsorted(br, x, side='left')
            out[np.isnan(x)] = len(br) + 1
            return out
        return f(R[col]), f(S[col])
    first = list(dict.fromkeys(list(R[col]) + list(S[col])))
    counts = {c: int(np.sum(R[col] == c)) for c in first}
    order = sorted([c for c in first if counts[c] > 0 and c != ''],
                   key=lambda c: (-counts[c], first.index(c)))[:9]
    m = {c: i for i, c in enumerate(order)}
    def g(x):
        return np.array([10 if v == '' else m.get(v, 9) for v in x])
    return g(R[col]), g(S[col])


AB = {c: acc_bins(c) for c in COLS}


def tvd_joint(cols):
    kr = pd.Series(list(zip(*[AB[c][0] for c in cols]))).value_counts(normalize=True)
    ks = pd.Series(list(zip(*[AB[c][1] for c in cols]))).value_counts(normalize=True)
    kr, ks = kr.align(ks, fill_value=0)
    return 0.5 * np.abs(kr - ks).sum()


uni = [1 - tvd_joint([c]) for c in COLS]
bi = [1 - tvd_joint([a, b]) for i, a in enumerate(COLS) for b in COLS[i + 1:]]
tri = [1 - tvd_joint([a, b, c]) for i, a in enumerate(COLS) for j, b in enumerate(COLS[i + 1:], i + 1)
       for c in COLS[j + 1:]]

missing = {c: [float(np.mean(np.isnan(R[c]))) if c in CONT else float(np.mean(R[c] == '')),
               float(np.mean(np.isnan(S[c]))) if c in CONT else float(np.mean(S[c] == ''))]
           for c in COLS}
invented = {}
for c in COLS:
    if c in CONT:
        lo, hi = np.nanmin(R[c]), np.nanmax(R[c])
        invented[c] = [0, int(np.sum((S[c] < lo) | (S[c] > hi)))]
    else:
        new = set(S[c]) - set(R[c]) - {''}
        invented[c] = [len(new), int(np.sum(np.isin(S[c], list(new))))]

# ------------------------------------------------------------------ drift
def psi(ca, cb):
    pa, pb = ca / ca.sum(), cb / cb.sum()
    keep = (ca + cb) > 0
    pa, pb = np.maximum(pa[keep], 1e-4), np.maximum(pb[keep], 1e-4)
    return float(np.sum((pb - pa) * np.log(pb / pa)))


drift = {}
for c in COLS:
    if c in CONT:
        a, b = R[c], S[c]
        ra, sb = AB[c]
        k = max(ra.max(), sb.max()) + 1
        d = stats.ks_2samp(a[~np.isnan(a)], b[~np.isnan(b)]).statistic
        n, m = np.sum(~np.isnan(a)), np.sum(~np.isnan(b))
        drift[c] = {'psi': psi(np.bincount(ra, minlength=k).astype(float),
                               np.bincount(sb, minlength=k).astype(float)),
                    'ks': float(d), 'ks_p': float(stats.kstwobign.sf(math.sqrt(n * m / (n + m)) * d))}
    else:
        cats = sorted(set(R[c]) | set(S[c]))
        ca = np.array([np.sum(R[c] == v) for v in cats], float)
        cb = np.array([np.sum(S[c] == v) for v in cats], float)
        chi2, p, dof, _ = stats.chi2_contingency(np.vstack([ca, cb]), correction=False)
        drift[c] = {'psi': psi(ca, cb), 'chi2': float(chi2), 'chi2_p': float(p), 'dof': int(dof)}

# ------------------------------------------------------------------ privacy distances
def embed(df_typed, lo, span, levels):
    parts = []
    for c in CONT:
        x = (df_typed[c] - lo[c]) / span[c]
        parts.append(np.nan_to_num(x, nan=0.0)[:, None])
        parts.append(np.isnan(x).astype(float)[:, None])
    for c in CAT:
        oh = np.zeros((len(df_typed[c]), len(levels[c])))
        idx = [levels[c].index(v) for v in df_typed[c]]
        oh[np.arange(len(idx)), idx] = 1 / np.sqrt(2)
        parts.append(oh)
    return np.hstack(parts)


lo = {c: np.nanmin(R[c]) for c in CONT}
span = {c: (np.nanmax(R[c]) - lo[c]) or 1.0 for c in CONT}
levels = {c: sorted(set(R[c]) | set(S[c])) for c in CAT}
XR, XS = embed(R, lo, span, levels), embed(S, lo, span, levels)
nn = NearestNeighbors(n_neighbors=2, algorithm='brute').fit(XR)
dist, _ = nn.kneighbors(XS)
# exact distances, recomputed in float64 without the dot-product shortcut
d1 = np.array([np.sqrt(((XR - q) ** 2).sum(1)).min() for q in XS])
d2 = np.array([np.sort(np.sqrt(((XR - q) ** 2).sum(1)))[1] for q in XS])
assert np.allclose(d1, dist[:, 0], atol=1e-7)

# ------------------------------------------------------------------ classification metrics
mrng = np.random.default_rng(7)
y = mrng.integers(0, 2, 200)
score = np.round(mrng.random(200) * 0.6 + 0.3 * y, 2)     # rounded: ties on purpose
pred = (score >= 0.5).astype(int)
ym = mrng.integers(0, 4, 150)
pm = np.where(mrng.random(150) < 0.6, ym, mrng.integers(0, 5, 150))
yr = mrng.normal(0, 1, 120)
pr = yr + mrng.normal(0, 0.5, 120)
imp_a = mrng.random(12).round(1)
imp_b = (imp_a + mrng.normal(0, 0.2, 12)).round(1)

out = {
    'source': 'ersatz-eval/src/test/python/expected_values.py',
    'quality': {'column_shapes': shapes, 'column_shapes_mean': shape_mean,
                'column_pair_trends': pairs, 'column_pair_trends_mean': pair_mean,
                'quality': (shape_mean + pair_mean) / 2},
    'accuracy': {'univariate': uni, 'bivariate': bi, 'trivariate': tri,
                 'univariate_mean': float(np.mean(uni)), 'bivariate_mean': float(np.mean(bi)),
                 'trivariate_mean': float(np.mean(tri))},
    'missing': missing, 'invented': invented, 'drift': drift,
    'nearest': {'first': d1.tolist(), 'second': d2.tolist()},
    'metrics': {
        'y': y.tolist(), 'score': score.tolist(), 'auc': roc_auc_score(y, score),
        'accuracy': accuracy_score(y, pred), 'macro_f1': f1_score(y, pred, average='macro'),
        'ym': ym.tolist(), 'pm': pm.tolist(),
        'multi_accuracy': accuracy_score(ym, pm), 'multi_macro_f1': f1_score(ym, pm, average='macro'),
        'yr': yr.tolist(), 'pr': pr.tolist(), 'r2': r2_score(yr, pr), 'mae': mean_absolute_error(yr, pr),
        'imp_a': imp_a.tolist(), 'imp_b': imp_b.tolist(),
        'spearman': stats.spearmanr(imp_a, imp_b).correlation,
    },
    'stats': {
        'kolmogorov_sf': {str(z): float(stats.kstwobign.sf(z)) for z in [0.2, 0.5, 0.8, 1.0, 1.3, 2.0, 3.0]},
        'chi2_sf': [[x, k, float(stats.chi2.sf(x, k))] for x, k in
                    [(0.5, 1), (3.0, 2), (10.0, 4), (25.0, 7), (1.0, 10), (80.0, 40)]],
    },
}
with open(os.path.join(RES, 'expected', 'fixture_expected.json'), 'w', encoding='utf-8') as f:
    json.dump(out, f, indent=1)
print('quality', out['quality']['quality'], 'accuracy', np.mean(uni), np.mean(bi), np.mean(tri))
