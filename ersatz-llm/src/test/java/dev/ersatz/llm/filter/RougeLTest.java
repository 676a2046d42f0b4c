package dev.ersatz.llm.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RougeLTest {
  @Test
  void tokenizesLikeRougeScore() {
    assertThat(RougeL.tokenize("Write a POEM, about cats' 2 lives!")).containsExactly("write", "a", "poem", "about", "cats", "2", "lives");
    assertThat(RougeL.tokenize("naïve café")).containsExactly("na", "ve", "caf");
    assertThat(RougeL.tokenize("  ")).isEmpty();
    assertThat(RougeL.tokenize("e-mail_x")).containsExactly("e", "mail", "x");
  }

  @Test
  void lcsHandWorked() {
    // "a b c d" vs "a c b d": LCS 3 (a b d or a c d)
    assertThat(RougeL.lcs(new int[] {1, 2, 3, 4}, new int[] {1, 3, 2, 4})).isEqualTo(3);
    assertThat(RougeL.lcs(new int[] {1, 2, 3}, new int[] {4, 5})).isZero();
    assertThat(RougeL.lcs(new int[] {}, new int[] {1})).isZero();
    // repeated tokens: "a a b" vs "a b a": LCS 2
    assertThat(RougeL.lcs(new int[] {1, 1, 2}, new int[] {1, 2, 1})).isEqualTo(2);
  }

  @Test
  void fMeasureHandWorked() {
    // earlier "the cat sat on the mat" (6), candidate "the cat is on the mat" (6): lcs 5, P=R=5/6, F=5/6
    assertThat(RougeL.score("the cat sat on the mat", "the cat is on the mat")).isEqualTo(2 * (5.0 / 6) * (5.0 / 6) / (5.0 / 6 + 5.0 / 6));
    // P = 3/4 (earlier has 4 tokens), R = 3/6: F = 2*0.75*0.5/1.25 = 0.6
    assertThat(RougeL.fMeasure(3, 4, 6)).isEqualTo(0.6);
    assertThat(RougeL.fMeasure(0, 4, 6)).isZero();
    assertThat(RougeL.fMeasure(0, 0, 6)).isZero();
  }

  @Test
  void pointSevenRoundingCases() {
    // Mathematically 2*7/(8+12) = 0.7, but 2*P*R/(P+R) in doubles gives 0.7000000000000001
    // (checked with CPython: 2*(7/8)*(7/12)/((7/8)+(7/12)))
    assertThat(RougeL.fMeasure(7, 8, 12)).isEqualTo(0.7000000000000001);
    assertThat(RougeL.fMeasure(7, 12, 8)).isEqualTo(0.7000000000000001);
    assertThat(RougeL.fMeasure(7, 7, 13)).isEqualTo(0.7000000000000001);
    assertThat(RougeL.fMeasure(14, 15, 25)).isEqualTo(0.7000000000000001);
    assertThat(2.0 * 7 / (8 + 12)).isEqualTo(0.7);
    // and 7 of 10 and 10 is exactly 0.7
    assertThat(RougeL.fMeasure(7, 10, 10)).isEqualTo(0.7);
  }
}
