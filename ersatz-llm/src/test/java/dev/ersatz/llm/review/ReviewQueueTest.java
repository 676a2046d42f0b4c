package dev.ersatz.llm.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.llm.Example;
import dev.ersatz.llm.Lineage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewQueueTest {
  static Example ex(String id, String stratum) {
    return new Example(id, "do " + id, "", "done", new Lineage("self-instruct", "gen", "m", Map.of(), List.of(), null, 1,
        stratum, List.of(), Map.of(), null, null));
  }

  static List<Example> kept(int a, int b) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < a; i++) {
      out.add(ex("a" + i, "classification"));
    }
    for (int i = 0; i < b; i++) {
      out.add(ex("b" + i, "generation"));
    }
    return out;
  }

  @Test
  void stratifiedSampleIsProportionalDeterministicAndRespectsTheMinimum() {
    List<Example> k = kept(100, 300);
    List<Example> s = ReviewQueue.draw(k, 0.1, 5, RandomSource.of(1));
    assertThat(s).hasSize(40);
    Map<String, Long> by = s.stream().collect(Collectors.groupingBy(e -> e.lineage().stratum(), Collectors.counting()));
    assertThat(by).containsEntry("classification", 10L).containsEntry("generation", 30L);
    assertThat(ReviewQueue.draw(k, 0.1, 5, RandomSource.of(1))).isEqualTo(s);
    assertThat(ReviewQueue.draw(k, 0.1, 5, RandomSource.of(2))).isNotEqualTo(s);
    assertThat(ReviewQueue.draw(k, 0.02, 30, RandomSource.of(1))).hasSize(30);
    assertThat(ReviewQueue.draw(kept(2, 1), 0.02, 30, RandomSource.of(1))).hasSize(3);
    assertThat(ReviewQueue.draw(List.of(), 0.02, 30, RandomSource.of(1))).isEmpty();
  }

  @Test
  void gatePromotesOnlyReviewedRoundsBelowTheBound(@TempDir Path dir) {
    ReviewQueue q = ReviewQueue.create(dir, 0.1, 0.95);
    List<Example> sample = kept(0, 30);
    q.writeQueue(1, sample);
    assertThat(q.status(1).promotable()).isFalse();
    for (Example e : sample.subList(0, 29)) {
      q.accept(1, e.id(), "r");
    }
    assertThat(q.status(1).promotable()).as("one pending").isFalse();
    q.reject(1, sample.get(29).id(), "r", "bad");
    // 1 of 30: bound 0.150 > 0.1
    assertThat(q.status(1).promotable()).isFalse();
    assertThat(q.status(1).upperBound()).isGreaterThan(0.1);
    // a reviewer changes their mind: the latest verdict counts, all are kept
    q.accept(1, sample.get(29).id(), "r");
    RoundStatus st = q.status(1);
    assertThat(st.rejected()).isZero();
    assertThat(st.upperBound()).isCloseTo(0.0950, org.assertj.core.api.Assertions.within(1e-4));
    assertThat(st.promotable()).isTrue();
    assertThat(ReviewQueue.open(dir).status(1)).isEqualTo(st);
    assertThatThrownBy(() -> q.accept(1, "nope", "r")).isInstanceOf(UserInputException.class);
  }
}
