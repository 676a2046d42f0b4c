package dev.ersatz.llm.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.random.RandomSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoveltyIndexTest {

  /** The Self-Instruct all-pairs pass, written the obvious way, as the reference. */
  static boolean[] bruteForce(List<String> texts, double thr) {
    java.util.Map<String, Integer> vocab = new java.util.HashMap<>();
    List<int[]> seqs = new ArrayList<>();
    for (String t : texts) {
      seqs.add(RougeL.tokenize(t).stream().mapToInt(w -> vocab.computeIfAbsent(w, k -> vocab.size())).toArray());
    }
    List<int[]> pool = new ArrayList<>();
    boolean[] out = new boolean[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      int[] y = seqs.get(i);
      boolean novel = true;
      for (int[] x : pool) {
        if (RougeL.fMeasure(RougeL.lcs(x, y), x.length, y.length) > thr) {
          novel = false;
          break;
        }
      }
      out[i] = novel;
      if (novel) {
        pool.add(y);
      }
    }
    return out;
  }

  static int count(boolean[] b) {
    int c = 0;
    for (boolean x : b) {
      c += x ? 1 : 0;
    }
    return c;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void sameDecisionsAsAllPairsOnRandomNearDuplicates(long seed) {
    // small vocabulary and short texts: many pairs near the threshold, including exact-0.7 cases
    RandomSource rng = RandomSource.of(seed);
    String[] words = {"write", "a", "the", "poem", "list", "of", "about", "cats", "dogs", "and", "story", "short"};
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int len = 1 + rng.nextInt(14);
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < len; j++) {
        sb.append(words[rng.nextInt(words.length)]).append(rng.nextInt(5) == 0 ? ", " : " ");
      }
      texts.add(rng.nextInt(40) == 0 ? "!!!" : sb.toString());
    }
    for (double thr : new double[] {0.7, 0.5, 0.9}) {
      boolean[] expected = bruteForce(texts, thr);
      assertThat(NoveltyIndex.filterAll(texts, thr)).as("threshold %s", thr).isEqualTo(expected);
      // the online index without an order hint decides the same
      NoveltyIndex online = NoveltyIndex.of(thr);
      boolean[] got = new boolean[texts.size()];
      for (int i = 0; i < got.length; i++) {
        got[i] = online.offer(texts.get(i)).novel();
      }
      assertThat(got).isEqualTo(expected);
    }
  }

  @Test
  void exactPointSevenCaseIsRejectedOnlyWhenItRoundsUp() {
    // lcs 7, lengths 8 and 12: F is 0.7 mathematically but computes as 0.7000000000000001
    NoveltyIndex ix = NoveltyIndex.of(0.7);
    ix.add("a b c d e f g x");
    var d = ix.check("a b c d e f g y z w v u");
    assertThat(d.novel()).isFalse();
    assertThat(d.score()).isEqualTo(0.7000000000000001);
    // lcs 7, lengths 10 and 10: computes as exactly 0.7, not above: accepted
    NoveltyIndex ix2 = NoveltyIndex.of(0.7);
    ix2.add("a b c d e f g x y z");
    assertThat(ix2.check("a b c d e f g u v w").novel()).isTrue();
    assertThat(ix2.check("a b c d e f g u v w").score()).isLessThanOrEqualTo(0.7);
  }

  @Test
  void emptyTokenSequencesAreAlwaysNovel() {
    NoveltyIndex ix = NoveltyIndex.of(0.7);
    assertThat(ix.offer("???").novel()).isTrue();
    assertThat(ix.offer("...").novel()).isTrue();
    assertThat(ix.size()).isEqualTo(2);
  }

  @Test
  void sharedBenchmarkPrefixes() throws Exception {
    Path file = Instructions.sharedFile();
    Assumptions.assumeTrue(Files.exists(file), "shared data absent: " + file);
    List<String> texts = Instructions.read(file, 10_000);
    assertThat(count(NoveltyIndex.filterAll(texts.subList(0, 1000), 0.7))).isEqualTo(716);
    assertThat(count(NoveltyIndex.filterAll(texts, 0.7))).isEqualTo(5273);
  }
}
