package dev.ersatz.models.trees;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.json.JsonMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One fitted classification tree over cells, flattened into arrays for fast traversal. An
 * internal node routes a row by a lookup table over its split column's cells (so ordered and
 * unordered splits cost the same); a leaf holds a cumulative distribution over the target
 * column's cells.
 */
final class Tree {
  /** Split column per node, -1 for leaves. */
  final int[] feature;
  final int[] left;
  final int[] right;
  /** Per internal node: offset into {@link #goLeft}; per leaf: offset into {@link #cum}. */
  final int[] offset;
  final byte[] goLeft;
  final double[] cum;
  final int classes;
  /** Rows that reached each node at fit time (diagnostics only). */
  final int[] size;
  /**
   * The walk's view of the nodes, four ints each so one node is one cache access: split column
   * (-1 for a leaf), then a threshold t (cells {@code <= t} go left) or {@code -(mask offset + 1)}
   * for an unordered split, then the left and right child. Derived from the arrays above.
   */
  private final int[] packed;

  Tree(int[] feature, int[] left, int[] right, int[] offset, byte[] goLeft, double[] cum,
      int classes, int[] size) {
    this.feature = feature;
    this.left = left;
    this.right = right;
    this.offset = offset;
    this.goLeft = goLeft;
    this.cum = cum;
    this.classes = classes;
    this.size = size;
    this.packed = pack();
  }

  private int[] pack() {
    int n = feature.length;
    int[] p = new int[4 * n];
    for (int i = 0; i < n; i++) {
      p[4 * i] = feature[i];
      if (feature[i] >= 0) {
        p[4 * i + 1] = threshold(i);
        p[4 * i + 2] = left[i];
        p[4 * i + 3] = right[i];
      }
    }
    return p;
  }

  /** t if node i's mask is "cells 0..t go left", else -(mask offset + 1). */
  private int threshold(int i) {
    int o = offset[i];
    int levels = (i + 1 < feature.length ? maskEnd(i) : goLeft.length) - o;
    int t = -1;
    while (t + 1 < levels && goLeft[o + t + 1] != 0) {
      t++;
    }
    for (int l = t + 1; l < levels; l++) {
      if (goLeft[o + l] != 0) {
        return -(o + 1);
      }
    }
    return t;
  }

  /** End of node i's mask: the next internal node's offset, or the end of the mask table. */
  private int maskEnd(int i) {
    for (int j = i + 1; j < feature.length; j++) {
      if (feature[j] >= 0) {
        return offset[j];
      }
    }
    return goLeft.length;
  }

  /** The leaf a row (cells indexed by column) reaches. */
  int leaf(int[] row) {
    int[] p = packed;
    int at = 0;
    int f;
    while ((f = p[at]) >= 0) {
      int t = p[at + 1];
      int c = row[f];
      boolean goesLeft = t >= 0 ? c <= t : goLeft[-t - 1 + c] != 0;
      at = 4 * p[goesLeft ? at + 2 : at + 3];
    }
    return at >> 2;
  }

  int sample(int leaf, double u) {
    int from = offset[leaf];
    int lo = from;
    int hi = from + classes - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cum[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo - from;
  }

  double probability(int leaf, int cls) {
    int o = offset[leaf];
    return cls == 0 ? cum[o] : cum[o + cls] - cum[o + cls - 1];
  }

  int nodes() {
    return feature.length;
  }

  int leaves() {
    return leafCount(feature);
  }

  /** Leaves among flat nodes whose split column is -1 for a leaf (trees and boosters alike). */
  static int leafCount(int[] feature) {
    int n = 0;
    for (int f : feature) {
      if (f < 0) {
        n++;
      }
    }
    return n;
  }

  /** A leaf's cumulative distribution is kept to this many decimal places ({@link #quantize}). */
  static final double CUM_SCALE = 1e9;

  /**
   * Rounds every leaf's cumulative distribution to nine decimal places, in place, once the tree
   * is final (after raking): a cell's probability moves by at most 1e-9, far below what any
   * leaf's rows can tell, and model files hold each value as about 11 characters instead of 18,
   * which parse on {@link Double#parseDouble}'s fast path. Rounding is monotone and leaves 1 at
   * 1, so each leaf stays a distribution. The fitted model is rounded as its file is, so a model
   * samples the same rows before and after it is written and read.
   */
  void quantize() {
    for (int i = 0; i < cum.length; i++) {
      cum[i] = Math.round(cum[i] * CUM_SCALE) / CUM_SCALE;
    }
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feature", feature);
    m.put("left", left);
    m.put("right", right);
    m.put("offset", offset);
    m.put("goLeft", widen(goLeft));
    m.put("cumulative", cum);
    m.put("classes", classes);
    m.put("size", size);
    return m;
  }

  /** Split masks as JSON holds them (numbers). */
  static int[] widen(byte[] masks) {
    int[] out = new int[masks.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = masks[i];
    }
    return out;
  }

  /** Split masks back from JSON numbers. */
  static byte[] narrow(int[] masks) {
    byte[] out = new byte[masks.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) masks[i];
    }
    return out;
  }

  static Tree fromJson(JsonMap j) {
    int[] f = j.ints("feature");
    int[] l = j.ints("left");
    int[] r = j.ints("right");
    int[] o = j.ints("offset");
    byte[] gl = narrow(j.ints("goLeft"));
    double[] cum = j.doubles("cumulative");
    int classes = j.integer("classes");
    int[] size = j.ints("size");
    int n = f.length;
    if (l.length != n || r.length != n || o.length != n || size.length != n || n == 0) {
      throw new ModelFormatException("tree at " + j.path() + " has inconsistent arrays");
    }
    for (int i = 0; i < n; i++) {
      if (f[i] >= 0) {
        if (l[i] <= i || l[i] >= n || r[i] <= i || r[i] >= n || o[i] < 0 || o[i] >= gl.length) {
          throw new ModelFormatException("tree at " + j.path() + " has a bad node " + i);
        }
      } else if (o[i] < 0 || o[i] + classes > cum.length) {
        throw new ModelFormatException("tree at " + j.path() + " has a bad leaf " + i);
      }
    }
    return new Tree(f, l, r, o, gl, cum, classes, size);
  }
}
