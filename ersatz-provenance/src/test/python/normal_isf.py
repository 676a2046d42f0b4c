"""Expected values for Binomial.normalScore and Watermark.combine, from scipy.

normal_isf: z with P(Z >= z) = exp(log_p), scipy.stats.norm.isf (and norm.logsf inverted by
root finding below 1e-300). fisher: P(chi2_4 >= -2 (log p1 + log p2)), scipy.stats.chi2.sf.
Run: python3 normal_isf.py   (Debian python3-scipy 1.10.1); output pasted into PrimitivesTest.
"""
import math
from scipy.stats import chi2, norm
from scipy.optimize import brentq

for log_p in [math.log(0.5), math.log(0.05), math.log(1e-6), math.log(1e-100), -700.0, -5000.0]:
    if log_p > -700:
        z = norm.isf(math.exp(log_p))
    else:
        z = brentq(lambda z: norm.logsf(z) - log_p, 1, 200, xtol=1e-14)
    print(f"{{{log_p!r}, {z!r}}},")
for p1, p2 in [(0.5, 0.5), (1e-3, 0.2), (1e-6, 1e-6)]:
    print(f"{{{p1!r}, {p2!r}, {chi2.sf(-2 * (math.log(p1) + math.log(p2)), 4)!r}}},")
