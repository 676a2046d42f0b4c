package dev.ersatz.models;

/** The standard normal distribution's CDF and quantile function, and small linear algebra. */
public final class Normal {
  private Normal() {}

  /**
   * Standard normal CDF by Hart's algorithm 5666 (Hart et al., "Computer Approximations", 1968),
   * in the double-precision form given by G. West, "Better approximations to cumulative normal
   * functions", Wilmott Magazine (2005); absolute error below 1e-14. Checked against scipy in
   * {@code NormalTest}.
   */
  public static double cdf(double z) {
    double x = Math.abs(z);
    double c;
    if (x > 37) {
      c = 0;
    } else {
      double e = Math.exp(-x * x / 2);
      if (x < 7.07106781186547) {
        double b = 3.52624965998911e-02 * x + 0.700383064443688;
        b = b * x + 6.37396220353165;
        b = b * x + 33.912866078383;
        b = b * x + 112.079291497871;
        b = b * x + 221.213596169931;
        b = b * x + 220.206867912376;
        c = e * b;
        b = 8.83883476483184e-02 * x + 1.75566716318264;
        b = b * x + 16.064177579207;
        b = b * x + 86.7807322029461;
        b = b * x + 296.564248779674;
        b = b * x + 637.333633378831;
        b = b * x + 793.826512519948;
        b = b * x + 440.413735824752;
        c = c / b;
      } else {
        double b = x + 0.65;
        b = x + 4 / b;
        b = x + 3 / b;
        b = x + 2 / b;
        b = x + 1 / b;
        c = e / b / 2.506628274631;
      }
    }
    return z > 0 ? 1 - c : c;
  }

  /** Knots of {@link #cdfFast}: Phi and phi on [-FAST_LIMIT, FAST_LIMIT] every 1/FAST_SCALE. */
  private static final double FAST_LIMIT = 8;
  private static final int FAST_SCALE = 64;
  private static final double[] FAST_CDF;
  private static final double[] FAST_PDF;

  static {
    int n = (int) (2 * FAST_LIMIT * FAST_SCALE) + 2;
    FAST_CDF = new double[n];
    FAST_PDF = new double[n];
    for (int i = 0; i < n; i++) {
      double z = -FAST_LIMIT + (double) i / FAST_SCALE;
      FAST_CDF[i] = cdf(z);
      FAST_PDF[i] = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    }
  }

  /**
   * The standard normal CDF by cubic Hermite interpolation of {@link #cdf} and its derivative
   * between knots 1/64 apart (absolute error below 1e-10, about five times faster); outside
   * [-8, 8] it is {@link #cdf} itself. For the hot loops of samplers, where a cell's position
   * needs Phi(z) once per value.
   */
  public static double cdfFast(double z) {
    double t = (z + FAST_LIMIT) * FAST_SCALE;
    if (!(t >= 0 && t < FAST_CDF.length - 1)) {
      return cdf(z);
    }
    int i = (int) t;
    double s = t - i;
    double h = 1.0 / FAST_SCALE;
    double p0 = FAST_CDF[i];
    double p1 = FAST_CDF[i + 1];
    double m0 = FAST_PDF[i] * h;
    double m1 = FAST_PDF[i + 1] * h;
    double s2 = s * s;
    double s3 = s2 * s;
    return (2 * s3 - 3 * s2 + 1) * p0 + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * p1
        + (s3 - s2) * m1;
  }

  /**
   * Standard normal quantile: Wichura, "Algorithm AS 241: The percentage points of the normal
   * distribution", Applied Statistics 37 (1988), PPND16 (about 1e-16 relative accuracy).
   *
   * @param p in (0, 1); 0 and 1 give -/+ infinity
   */
  public static double quantile(double p) {
    if (p <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    double q = p - 0.5;
    if (Math.abs(q) <= 0.425) {
      double r = 0.180625 - q * q;
      return q * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r
          + 67265.770927008700853) * r + 45921.953931549871457) * r + 13731.693765509461125) * r
          + 1971.5909503065514427) * r + 133.14166789178437745) * r + 3.387132872796366608)
          / (((((((5226.495278852545925 * r + 28729.085735721942674) * r
          + 39307.89580009271061) * r + 21213.794301586595867) * r + 5394.1960214247511077) * r
          + 687.1870074920579083) * r + 42.313330701600911252) * r + 1.0);
    }
    double r = q < 0 ? p : 1 - p;
    r = Math.sqrt(-Math.log(r));
    double val;
    if (r <= 5) {
      r -= 1.6;
      val = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r
          + 0.24178072517745061177) * r + 1.27045825245236838258) * r
          + 3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r
          + 1.42343711074968357734)
          / (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r
          + 0.0151986665636164571966) * r + 0.14810397642748007459) * r
          + 0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r
          + 1.0);
    } else {
      r -= 5;
      val = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
          + 0.0012426609473880784386) * r + 0.026532189526576123093) * r
          + 0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r
          + 6.6579046435011037772)
          / (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r
          + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r
          + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
          + 0.59983220655588793769) * r + 1.0);
    }
    return q < 0 ? -val : val;
  }

  /**
   * Lower-triangular Cholesky factor of a symmetric positive-definite matrix, adding a growing
   * ridge to the diagonal when rounding makes it indefinite.
   */
  public static double[][] cholesky(double[][] a) {
    int n = a.length;
    double ridge = 0;
    for (int attempt = 0; attempt < 30; attempt++) {
      double[][] l = new double[n][n];
      boolean ok = true;
      for (int i = 0; i < n && ok; i++) {
        for (int j = 0; j <= i; j++) {
          double s = a[i][j] + (i == j ? ridge : 0);
          for (int k = 0; k < j; k++) {
            s -= l[i][k] * l[j][k];
          }
          if (i == j) {
            if (s <= 1e-12) {
              ok = false;
              break;
            }
            l[i][i] = Math.sqrt(s);
          } else {
            l[i][j] = s / l[j][j];
          }
        }
      }
      if (ok) {
        return l;
      }
      ridge = ridge == 0 ? 1e-10 : ridge * 10;
    }
    throw new IllegalStateException("matrix is not positive definite");
  }

  /** Solves {@code (L L^T) x = b} for x. */
  public static double[] solve(double[][] l, double[] b) {
    int n = b.length;
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i][k] * y[k];
      }
      y[i] = s / l[i][i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = y[i];
      for (int k = i + 1; k < n; k++) {
        s -= l[k][i] * x[k];
      }
      x[i] = s / l[i][i];
    }
    return x;
  }
}
