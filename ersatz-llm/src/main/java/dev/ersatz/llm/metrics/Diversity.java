package dev.ersatz.llm.metrics;

import dev.ersatz.llm.filter.Embedder;
import dev.ersatz.llm.filter.RougeL;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Diversity measures for a round's kept examples, used to watch for collapse across rounds. */
public final class Diversity {
  private Diversity() {}

  /**
   * distinct-n (Li et al. 2016, "A Diversity-Promoting Objective Function for Neural Conversation
   * Models", section 4.3): distinct n-grams over all n-grams, tokens as in {@link RougeL#tokenize}.
   *
   * @param texts the texts
   * @param n the n-gram order
   * @return in [0, 1]; 0 when there are no n-grams
   */
  public static double distinctN(List<String> texts, int n) {
    Set<List<String>> seen = new HashSet<>();
    long total = 0;
    for (String t : texts) {
      List<String> tok = RougeL.tokenize(t);
      for (int i = 0; i + n <= tok.size(); i++) {
        seen.add(List.copyOf(tok.subList(i, i + n)));
        total++;
      }
    }
    return total == 0 ? 0 : (double) seen.size() / total;
  }

  /**
   * Self-similarity: the mean over items of the cosine to their nearest other item.
   *
   * @param v unit vectors
   * @return in [-1, 1]; 0 when fewer than two items
   */
  public static double selfSimilarity(List<float[]> v) {
    if (v.size() < 2) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < v.size(); i++) {
      double best = -1;
      for (int j = 0; j < v.size(); j++) {
        if (i != j) {
          best = Math.max(best, Embedder.cosine(v.get(i), v.get(j)));
        }
      }
      sum += best;
    }
    return sum / v.size();
  }

  /**
   * The Vendi score (Friedman and Dieng 2023, "The Vendi Score: A Diversity Evaluation Metric for
   * Machine Learning", definition 3.1) with the cosine kernel: exp of the Shannon entropy of the
   * eigenvalues of K/n. It is the effective number of distinct items, in [1, n].
   *
   * @param v unit vectors
   * @return the score; 0 for no items
   */
  public static double vendi(List<float[]> v) {
    int n = v.size();
    if (n == 0) {
      return 0;
    }
    int d = v.get(0).length;
    double[][] m;
    if (n <= d) {
      m = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          m[i][j] = m[j][i] = Embedder.cosine(v.get(i), v.get(j)) / n;
        }
      }
    } else {
      // X^T X / n has the same non-zero eigenvalues as X X^T / n
      m = new double[d][d];
      for (float[] x : v) {
        for (int a = 0; a < d; a++) {
          for (int b = a; b < d; b++) {
            m[a][b] += (double) x[a] * x[b] / n;
          }
        }
      }
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < a; b++) {
          m[a][b] = m[b][a];
        }
      }
    }
    double h = 0;
    for (double l : eigenvalues(m)) {
      if (l > 1e-12) {
        h -= l * Math.log(l);
      }
    }
    return Math.exp(h);
  }

  /**
   * Seed-cluster coverage: each human seed is a cluster centre; the share of seeds that are the
   * nearest seed of at least one item.
   *
   * @param items unit vectors of the round's examples
   * @param seeds unit vectors of the human seeds
   * @return in [0, 1]; 0 when there are no seeds
   */
  public static double seedCoverage(List<float[]> items, List<float[]> seeds) {
    if (seeds.isEmpty()) {
      return 0;
    }
    boolean[] hit = new boolean[seeds.size()];
    for (float[] x : items) {
      int best = -1;
      double bs = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < seeds.size(); s++) {
        double c = Embedder.cosine(x, seeds.get(s));
        if (c > bs) {
          bs = c;
          best = s;
        }
      }
      hit[best] = true;
    }
    int c = 0;
    for (boolean b : hit) {
      c += b ? 1 : 0;
    }
    return (double) c / seeds.size();
  }

  /** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (Golub and Van Loan, section 8.5). */
  static double[] eigenvalues(double[][] a) {
    int n = a.length;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-22) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
        }
      }
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = a[i][i];
    }
    return out;
  }
}
