"""Reference values for ZcdpTest: the Canonne-Kamath-Steinke (2020, Prop. 12) conversion from
rho-zCDP to (epsilon, delta)-DP, minimised over alpha with scipy (independent of the Java
bisection). Run: python3 zcdp_reference.py"""
import math
from scipy.optimize import minimize_scalar, brentq

def log_delta(rho, eps, alpha):
    return (alpha - 1) * (alpha * rho - eps) + alpha * math.log1p(-1 / alpha) - math.log(alpha - 1)

def delta(rho, eps):
    r = minimize_scalar(lambda a: log_delta(rho, eps, a), bounds=(1 + 1e-9, 1e7), method="bounded",
                        options={"xatol": 1e-12})
    return min(1.0, math.exp(r.fun))

def epsilon(rho, d):
    return brentq(lambda e: delta(rho, e) - d, 0, rho + 2 * math.sqrt(rho * math.log(1 / d)), xtol=1e-14)

def rho(eps, d):
    return brentq(lambda r: delta(r, eps) - d, 1e-12, eps + 1, xtol=1e-16)

for e, d in [(1.0, 1e-6), (0.1, 1e-6), (3.0, 1e-6), (10.0, 1e-9)]:
    print("rho(eps=%s, delta=%s) = %.10g" % (e, d, rho(e, d)))
for r, d in [(0.5, 1e-5), (0.02, 1e-6)]:
    print("epsilon(rho=%s, delta=%s) = %.10g" % (r, d, epsilon(r, d)))
