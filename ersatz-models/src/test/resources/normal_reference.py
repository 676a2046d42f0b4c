# Reference values for NormalTest: scipy.stats.norm (scipy 1.10, Debian 12).
# Run: python3 normal_reference.py > normal_reference.csv
from scipy.stats import norm
print("z,cdf,p,quantile")
for z, p in zip([-8, -5, -3, -1.96, -1, -0.3, 0, 0.3, 0.5, 1, 1.96, 3, 5, 8],
                [1e-12, 1e-6, 0.001, 0.025, 0.1, 0.3, 0.5, 0.6, 0.75, 0.9, 0.975, 0.999, 0.999999, 1 - 1e-12]):
    print("%r,%r,%r,%r" % (z, float(norm.cdf(z)), p, float(norm.ppf(p))))
