package dev.ersatz.llm.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.random.RandomSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  static ReliableHttpClient client(long seed) {
    return new ReliableHttpClient("e", Duration.ofSeconds(1), 3, 100, 1000, RandomSource.of(seed), 1, 0, null, ms -> { });
  }

  @Test
  void equalJitterIsSeededBoundedAndCapped() {
    ReliableHttpClient a = client(1);
    for (int attempt = 0; attempt < 8; attempt++) {
      long cap = Math.min(1000, 100L << attempt);
      long d = a.backoff("r1/s0/x", attempt);
      assertThat(d).isBetween(cap / 2, cap);
      assertThat(client(1).backoff("r1/s0/x", attempt)).isEqualTo(d);
    }
    assertThat(client(2).backoff("r1/s0/x", 3)).isNotEqualTo(a.backoff("r1/s0/x", 3));
  }

  @Test
  void retryAfterSecondsAndDates() {
    assertThat(ReliableHttpClient.retryAfter("2")).isEqualTo(2000);
    assertThat(ReliableHttpClient.retryAfter("0.5")).isEqualTo(500);
    assertThat(ReliableHttpClient.retryAfter(null)).isEqualTo(-1);
    assertThat(ReliableHttpClient.retryAfter("soon")).isEqualTo(-1);
    assertThat(ReliableHttpClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
  }
}
