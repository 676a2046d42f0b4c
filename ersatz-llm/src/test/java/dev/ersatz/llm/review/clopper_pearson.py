# Expected values for ClopperPearsonTest: one-sided upper Clopper-Pearson bound = Beta quantile.
from scipy.stats import beta
for k, n, conf in [(0, 30, 0.95), (3, 50, 0.95), (9, 200, 0.99)]:
    print(k, n, conf, repr(float(beta.ppf(conf, k + 1, n - k))))
# output:
# 0 30 0.95 0.09503385285530411
# 3 50 0.95 0.14783717636418123
# 9 200 0.99 0.09163174501753223
