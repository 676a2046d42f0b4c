package dev.ersatz.llm.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SemanticDedupTest {
  @Test
  void miniLmFlagsParaphrasesAndKeepsDifferentTasks() {
    SemanticDedupFilter f = SemanticDedupFilter.of(MiniLmEmbedder.create(), 0.9);
    f.add("How do I bake a loaf of sourdough bread at home?");
    FilterVerdict para = f.apply(1, FiltersTest.c("How can I bake a sourdough bread loaf at home?", "x"));
    assertThat(para.pass()).as("score %s", para.score()).isFalse();
    FilterVerdict other = f.apply(1, FiltersTest.c("Explain how photosynthesis turns light into sugar.", "x"));
    assertThat(other.pass()).isTrue();
    assertThat((Double) other.score()).isLessThan(0.5);
    f.keep(FiltersTest.c("Explain how photosynthesis turns light into sugar.", "x"));
    assertThat(f.apply(1, FiltersTest.c("Explain how photosynthesis converts light into sugar.", "x")).pass()).isFalse();
  }
}
