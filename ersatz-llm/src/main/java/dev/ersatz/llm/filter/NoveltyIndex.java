package dev.ersatz.llm.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An exact ROUGE-L novelty filter that scales: it makes the same decisions as Self-Instruct's
 * all-pairs pass (reject a candidate whose {@link RougeL} F against any pooled instruction exceeds
 * the threshold) but checks exact LCS only for pairs that survive exact pruning bounds.
 *
 * <p>Bounds: the LCS of two token sequences is at most their multiset overlap, and for each pair
 * of lengths (m, n) the smallest LCS whose <em>computed</em> F exceeds the threshold, t(m, n), is
 * tabulated with the scorer's own floating-point arithmetic (so the 0.7000000000000001 cases are
 * handled exactly). Treating the k-th occurrence of a token as the element (token, k) turns the
 * multiset overlap into a set overlap, and the prefix filter of set-similarity joins (Chaudhuri,
 * Ganti, Kaushik 2006, "A primitive operator for similarity joins in data cleaning"; Bayardo, Ma,
 * Srikant 2007, "Scaling up all pairs similarity search") applies: two sets with overlap at least
 * t share an element within the first |x|-t+1 elements of each under any fixed global order.
 * Rare-first ordering keeps the posting lists short. Survivors are checked for exact overlap,
 * then exact LCS.
 *
 * <p>Not thread-safe.
 */
public final class NoveltyIndex {
  private static final int INF = Integer.MAX_VALUE;
  private static final int TABLE = 128;

  private final double threshold;
  private final Map<String, Integer> vocab = new HashMap<>();
  private final Map<Long, Integer> elementRank = new HashMap<>();
  private int[][] postings = new int[1024][];
  private int[][] postingPos = new int[1024][];
  private int[] postingSize = new int[1024];
  private final List<int[]> seqs = new ArrayList<>();
  private final List<int[]> sortedRanks = new ArrayList<>();
  private int[] mark = new int[1024];
  private int[] lengths = new int[1024];
  private int stamp;
  private final int[][] tTable = new int[TABLE][];
  private final int[] tMin = new int[4 * TABLE];
  private int[] lcsRow = new int[64];

  /** The outcome of checking one candidate. */
  public record Decision(boolean novel, double score, int match) {
    /**
     * Creates a decision.
     *
     * @param novel true when no pooled instruction scores above the threshold
     * @param score for a rejection, the F of the matching instruction; for an acceptance, the
     *     highest F among the pooled instructions that survived the bounds (every other one is
     *     provably at or below the threshold), 0 when none survived
     * @param match index (insertion order) of the matching instruction, or -1 when novel
     */
    public Decision {}
  }

  private NoveltyIndex(double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1] but was " + threshold);
    }
    this.threshold = threshold;
    Arrays.fill(tMin, -1);
  }

  /**
   * Creates an empty index.
   *
   * @param threshold reject when F exceeds this (Self-Instruct uses 0.7)
   * @return a new index
   */
  public static NoveltyIndex of(double threshold) {
    return new NoveltyIndex(threshold);
  }

  /**
   * Creates an empty index whose element order is learned from sample texts (rare first), which
   * makes it faster; decisions do not depend on the sample.
   *
   * @param threshold reject when F exceeds this
   * @param sample texts representative of what will be offered (e.g. the whole batch)
   * @return a new index
   */
  public static NoveltyIndex of(double threshold, Iterable<String> sample) {
    NoveltyIndex ix = new NoveltyIndex(threshold);
    Map<Long, int[]> counts = new HashMap<>();
    List<Long> firstSeen = new ArrayList<>();
    for (String s : sample) {
      int[] seq = ix.ids(RougeL.tokenize(s));
      for (long e : elements(seq)) {
        int[] c = counts.get(e);
        if (c == null) {
          counts.put(e, new int[] {1});
          firstSeen.add(e);
        } else {
          c[0]++;
        }
      }
    }
    List<Long> order = new ArrayList<>(firstSeen);
    // stable sort: ties keep first-seen order, so the order is deterministic
    order.sort((a, b) -> Integer.compare(counts.get(a)[0], counts.get(b)[0]));
    for (Long e : order) {
      ix.elementRank.put(e, ix.elementRank.size());
    }
    return ix;
  }

  /**
   * Filters texts in order against each other, as Self-Instruct does.
   *
   * @param texts candidates in order
   * @param threshold reject when F against an earlier accepted text exceeds this
   * @return accepted flags, one per text
   */
  public static boolean[] filterAll(List<String> texts, double threshold) {
    NoveltyIndex ix = of(threshold, texts);
    boolean[] out = new boolean[texts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ix.offer(texts.get(i)).novel();
    }
    return out;
  }

  /** @return the number of pooled instructions */
  public int size() {
    return seqs.size();
  }

  /** @return the rejection threshold */
  public double threshold() {
    return threshold;
  }

  /**
   * Checks a candidate and pools it when novel.
   *
   * @param text the candidate instruction
   * @return the decision
   */
  public Decision offer(String text) {
    int[] seq = ids(RougeL.tokenize(text));
    int[] ranks = ranks(seq);
    Decision d = check(seq, ranks);
    if (d.novel()) {
      insert(seq, ranks);
    }
    return d;
  }

  /**
   * Checks a candidate without pooling it.
   *
   * @param text the candidate instruction
   * @return the decision
   */
  public Decision check(String text) {
    int[] seq = ids(RougeL.tokenize(text));
    return check(seq, ranks(seq));
  }

  /**
   * Pools an instruction unconditionally (e.g. human seed tasks).
   *
   * @param text the instruction
   * @return its index in the pool
   */
  public int add(String text) {
    int[] seq = ids(RougeL.tokenize(text));
    insert(seq, ranks(seq));
    return seqs.size() - 1;
  }

  private Decision check(int[] y, int[] ys) {
    int n = y.length;
    int tm = n == 0 ? INF : tMin(n);
    if (tm == INF) {
      return new Decision(true, 0.0, -1);
    }
    int prefix = n - tm + 1;
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(mark, 0);
      stamp = 1;
    }
    double best = 0.0;
    for (int i = 0; i < prefix; i++) {
      int r = ys[i];
      if (r >= postings.length || postings[r] == null) {
        continue;
      }
      int[] list = postings[r];
      int[] pos = postingPos[r];
      int size = postingSize[r];
      for (int k = 0; k < size; k++) {
        int x = list[k];
        if (mark[x] == stamp) {
          continue;
        }
        mark[x] = stamp;
        int m = lengths[x];
        int t = t(m, n);
        if (t == INF) {
          continue;
        }
        // positional filter (Xiao et al. 2008, PPJoin): this is the first shared element, at
        // position i in the candidate and pos[k] in x, so the overlap is at most 1 + what follows
        int j = pos[k];
        if (1 + Math.min(n - 1 - i, m - 1 - j) < t) {
          continue;
        }
        int[] xs = sortedRanks.get(x);
        if (overlapAtLeast(xs, ys, t, j, i) < t) {
          continue;
        }
        int[] xseq = seqs.get(x);
        if (lcsRow.length <= n) {
          lcsRow = new int[2 * n + 1];
        }
        int l = RougeL.lcs(xseq, y, lcsRow);
        double f = RougeL.fMeasure(l, m, n);
        if (f > threshold) {
          return new Decision(false, f, x);
        }
        best = Math.max(best, f);
      }
    }
    return new Decision(true, best, -1);
  }

  /**
   * Exact overlap of two sorted arrays from positions (i, j), where they share their first common
   * element, stopping early once it cannot reach {@code need}.
   */
  private static int overlapAtLeast(int[] a, int[] b, int need, int i, int j) {
    int s = 0;
    while (i < a.length && j < b.length) {
      if (s + Math.min(a.length - i, b.length - j) < need) {
        return s;
      }
      int x = a[i];
      int y = b[j];
      if (x == y) {
        s++;
        i++;
        j++;
      } else if (x < y) {
        i++;
      } else {
        j++;
      }
    }
    return s;
  }

  private void insert(int[] seq, int[] ranks) {
    int id = seqs.size();
    seqs.add(seq);
    if (lengths.length <= id) {
      lengths = Arrays.copyOf(lengths, 2 * id + 2);
    }
    lengths[id] = seq.length;
    sortedRanks.add(ranks);
    if (mark.length <= id) {
      mark = Arrays.copyOf(mark, 2 * id + 2);
    }
    int m = seq.length;
    if (m == 0) {
      return;
    }
    int tm = tMin(m);
    if (tm == INF) {
      return;
    }
    int prefix = m - tm + 1;
    for (int i = 0; i < prefix; i++) {
      int r = ranks[i];
      if (r >= postings.length) {
        int len = Math.max(2 * postings.length, r + 1);
        postings = Arrays.copyOf(postings, len);
        postingPos = Arrays.copyOf(postingPos, len);
        postingSize = Arrays.copyOf(postingSize, len);
      }
      int[] list = postings[r];
      if (list == null) {
        list = new int[4];
        postings[r] = list;
        postingPos[r] = new int[4];
      } else if (postingSize[r] == list.length) {
        list = Arrays.copyOf(list, 2 * list.length);
        postings[r] = list;
        postingPos[r] = Arrays.copyOf(postingPos[r], list.length);
      }
      postingPos[r][postingSize[r]] = i;
      list[postingSize[r]++] = id;
    }
  }

  private int[] ids(List<String> tokens) {
    int[] out = new int[tokens.size()];
    for (int i = 0; i < out.length; i++) {
      Integer id = vocab.get(tokens.get(i));
      if (id == null) {
        id = vocab.size();
        vocab.put(tokens.get(i), id);
      }
      out[i] = id;
    }
    return out;
  }

  /** (token, occurrence) elements of a sequence, as longs. */
  private static long[] elements(int[] seq) {
    Map<Integer, Integer> occ = new HashMap<>();
    long[] out = new long[seq.length];
    for (int i = 0; i < seq.length; i++) {
      int k = occ.merge(seq[i], 1, Integer::sum);
      out[i] = ((long) seq[i] << 32) | k;
    }
    return out;
  }

  private int[] ranks(int[] seq) {
    long[] el = elements(seq);
    int[] out = new int[el.length];
    for (int i = 0; i < el.length; i++) {
      Integer r = elementRank.get(el[i]);
      if (r == null) {
        r = elementRank.size();
        elementRank.put(el[i], r);
      }
      out[i] = r;
    }
    Arrays.sort(out);
    return out;
  }

  /** Smallest LCS whose computed F exceeds the threshold for lengths m and n, or INF. */
  int t(int m, int n) {
    if (m < TABLE && n < TABLE) {
      int[] row = tTable[m];
      if (row == null) {
        row = new int[TABLE];
        Arrays.fill(row, -1);
        tTable[m] = row;
      }
      if (row[n] < 0) {
        row[n] = computeT(m, n);
      }
      return row[n];
    }
    return computeT(m, n);
  }

  private int computeT(int m, int n) {
    int hi = Math.min(m, n);
    // start a little below the real-valued bound; F is increasing in the LCS
    int lo = Math.max(1, (int) Math.floor(threshold * (m + n) / 2.0) - 2);
    if (lo > 1 && RougeL.fMeasure(lo, m, n) > threshold) {
      lo = 1;
    }
    for (int l = lo; l <= hi; l++) {
      if (RougeL.fMeasure(l, m, n) > threshold) {
        return l;
      }
    }
    return INF;
  }

  /** Minimum over all partner lengths of t(m, n); INF when no pair with this length can match. */
  int tMin(int n) {
    if (n < tMin.length && tMin[n] >= 0) {
      return tMin[n];
    }
    // partners longer than n*(2-thr)/thr cannot exceed the threshold even with lcs = n
    long maxM = threshold <= 0 ? Long.MAX_VALUE : (long) Math.ceil(n * (2 - threshold) / threshold) + 2;
    int best = INF;
    // t(m, n) >= smallest l with F(l, l, n) > thr for m < n, and grows with m beyond n;
    // scan every feasible m so the floating-point tabulation is used as is
    long limit = Math.min(maxM, 4L * n + 4);
    for (int m = 1; m <= limit; m++) {
      best = Math.min(best, t(m, n));
    }
    if (n < tMin.length) {
      tMin[n] = best;
    }
    return best;
  }
}
