"""Expected values for BinomialTest: P(X >= k) for X ~ Binomial(n, 1/2), from scipy.

Run: python3 binomial_sf.py   (Debian python3-scipy 1.10.1); output pasted into BinomialTest.
"""
from scipy.stats import binom

CASES = [(10, 0), (10, 5), (10, 8), (10, 10), (100, 50), (100, 60), (100, 75), (1000, 530),
         (1000, 600), (1000, 750), (20000, 10500), (100000, 50100), (5, 6)]
for n, k in CASES:
    print(f"{{{n}, {k}, {binom.sf(k - 1, n, 0.5)!r}}},")
