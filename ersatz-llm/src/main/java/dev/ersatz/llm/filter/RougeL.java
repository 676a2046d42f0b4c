package dev.ersatz.llm.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * ROUGE-L exactly as Self-Instruct scores instruction similarity: Google's {@code rouge_score}
 * without stemming (Lin 2004, "ROUGE: A Package for Automatic Evaluation of Summaries", section 3).
 *
 * <p>Tokens: lowercase, every character outside {@code a-z0-9} becomes a space, split on spaces.
 * Scores: P = lcs/len(earlier), R = lcs/len(candidate), F = 2*P*R/(P+R) in double precision,
 * evaluated in exactly that order; an empty sequence scores 0. The order matters: some pairs
 * with F mathematically 0.7 compute as 0.7000000000000001.
 */
public final class RougeL {
  private RougeL() {}

  /**
   * Tokenizes text as {@code rouge_score}'s default tokenizer does without stemming.
   *
   * @param text any text (null is treated as empty)
   * @return the tokens, possibly empty
   */
  public static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        cur.append(c);
      } else if (cur.length() > 0) {
        out.add(cur.toString());
        cur.setLength(0);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  /**
   * Length of the longest common subsequence of two token-id sequences (dynamic programming,
   * O(|a|*|b|) time, O(|b|) space).
   *
   * @param a first sequence
   * @param b second sequence
   * @return the LCS length, 0 when either is empty
   */
  public static int lcs(int[] a, int[] b) {
    return lcs(a, b, new int[b.length + 1]);
  }

  static int lcs(int[] a, int[] b, int[] row) {
    int n = b.length;
    java.util.Arrays.fill(row, 0, n + 1, 0);
    for (int i = 0; i < a.length; i++) {
      int ai = a[i];
      int diag = 0;
      for (int j = 1; j <= n; j++) {
        int up = row[j];
        if (ai == b[j - 1]) {
          row[j] = diag + 1;
        } else if (row[j - 1] > up) {
          row[j] = row[j - 1];
        }
        diag = up;
      }
    }
    return row[n];
  }

  /**
   * The F-measure for an LCS length, computed in the reference scorer's order.
   *
   * @param lcs the LCS length
   * @param earlierLength tokens in the earlier (pooled, "prediction") instruction
   * @param candidateLength tokens in the candidate ("target") instruction
   * @return F in [0, 1]; 0 when either length or the LCS is 0
   */
  public static double fMeasure(int lcs, int earlierLength, int candidateLength) {
    if (earlierLength == 0 || candidateLength == 0) {
      return 0.0;
    }
    double precision = (double) lcs / earlierLength;
    double recall = (double) lcs / candidateLength;
    if (precision + recall > 0) {
      return 2 * precision * recall / (precision + recall);
    }
    return 0.0;
  }

  /**
   * ROUGE-L F of a candidate against an earlier instruction.
   *
   * @param earlier the earlier (pooled) instruction
   * @param candidate the new instruction
   * @return F in [0, 1]
   */
  public static double score(String earlier, String candidate) {
    List<String> a = tokenize(earlier);
    List<String> b = tokenize(candidate);
    java.util.Map<String, Integer> ids = new java.util.HashMap<>();
    int[] x = a.stream().mapToInt(t -> ids.computeIfAbsent(t, k -> ids.size())).toArray();
    int[] y = b.stream().mapToInt(t -> ids.computeIfAbsent(t, k -> ids.size())).toArray();
    return fMeasure(lcs(x, y), x.length, y.length);
  }
}
