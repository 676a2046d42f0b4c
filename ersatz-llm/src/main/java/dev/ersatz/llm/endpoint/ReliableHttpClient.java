package dev.ersatz.llm.endpoint;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.random.RandomSource;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client under the LangChain4j models: per-endpoint concurrency and rate limits,
 * retries with seeded jittered exponential backoff on 429, 5xx, timeouts and transport errors
 * (honouring {@code Retry-After}), and record/replay through a {@link Cassette}. Never logs
 * headers or bodies (headers carry the API key).
 */
final class ReliableHttpClient implements HttpClient {
  private static final Logger LOG = LoggerFactory.getLogger(ReliableHttpClient.class);
  private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");

  /** Sleeps; replaceable in tests. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final String endpoint;
  private final java.net.http.HttpClient http;
  private final Duration timeout;
  private final int maxRetries;
  private final long baseDelayMillis;
  private final long maxDelayMillis;
  private final RandomSource jitter;
  private final Semaphore inFlight;
  private final long intervalNanos;
  private final Cassette cassette;
  private final Sleeper sleeper;
  private long nextSlot;

  ReliableHttpClient(String endpoint, Duration timeout, int maxRetries, long baseDelayMillis, long maxDelayMillis,
      RandomSource jitter, int concurrency, int requestsPerMinute, Cassette cassette, Sleeper sleeper) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.maxRetries = maxRetries;
    this.baseDelayMillis = baseDelayMillis;
    this.maxDelayMillis = maxDelayMillis;
    this.jitter = jitter;
    this.inFlight = new Semaphore(concurrency, true);
    this.intervalNanos = requestsPerMinute <= 0 ? 0 : 60_000_000_000L / requestsPerMinute;
    this.cassette = cassette;
    this.sleeper = sleeper;
    this.http = java.net.http.HttpClient.newBuilder()
        .connectTimeout(timeout)
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .build();
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    String requestId = RequestContext.get();
    URI uri = URI.create(request.url());
    String body = request.body() == null ? "" : request.body();
    String key = Cassette.key(requestId, request.method().name(), uri.getPath(), body);
    if (cassette != null) {
      Cassette.Entry e = cassette.lookup(key);
      if (e != null) {
        return replay(e);
      }
      if (cassette.mode() == Cassette.Mode.REPLAY) {
        throw new ErsatzException("cassette has no recording for request " + requestId
            + " on endpoint " + endpoint + "; the prompts differ from the recorded run");
      }
    }
    Cassette.Entry outcome = call(request, uri, body, requestId, key);
    if (cassette != null) {
      cassette.record(outcome);
    }
    return replay(outcome);
  }

  private static SuccessfulHttpResponse replay(Cassette.Entry e) {
    if (e.error() != null) {
      throw new ErsatzException(e.error());
    }
    if (e.status() < 200 || e.status() >= 300) {
      throw new HttpException(e.status(), "HTTP " + e.status());
    }
    return SuccessfulHttpResponse.builder().statusCode(e.status())
        .headers(Map.of("Content-Type", List.of("application/json"))).body(e.body()).build();
  }

  private Cassette.Entry call(HttpRequest request, URI uri, String body, String requestId, String key) {
    String lastError = null;
    int lastStatus = 0;
    for (int attempt = 0; ; attempt++) {
      long retryAfterMillis = -1;
      try {
        HttpResponse<String> resp = send(request, uri, body);
        int status = resp.statusCode();
        if (status >= 200 && status < 300) {
          return new Cassette.Entry(key, requestId, status, resp.body(), null);
        }
        lastStatus = status;
        lastError = null;
        if (status != 429 && status < 500) {
          return new Cassette.Entry(key, requestId, status, resp.body(), null); // not retryable
        }
        retryAfterMillis = retryAfter(resp.headers().firstValue("Retry-After").orElse(null));
      } catch (HttpTimeoutException e) {
        lastError = "timed out after " + timeout.toMillis() + " ms";
        lastStatus = 0;
      } catch (IOException e) {
        lastError = "transport error: " + e.getClass().getSimpleName();
        lastStatus = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ErsatzException("interrupted while calling endpoint " + endpoint, e);
      }
      if (attempt >= maxRetries) {
        String what = lastError != null ? lastError : "HTTP " + lastStatus;
        LOG.warn("endpoint {}: request {} failed after {} attempts: {}", endpoint, requestId, attempt + 1, what);
        return lastError != null
            ? new Cassette.Entry(key, requestId, 0, null, what + " after " + (attempt + 1) + " attempts")
            : new Cassette.Entry(key, requestId, lastStatus, "", null);
      }
      long delay = backoff(requestId, attempt);
      if (retryAfterMillis >= 0) {
        delay = Math.max(delay, retryAfterMillis);
      }
      LOG.debug("endpoint {}: request {} attempt {} failed ({}), retrying in {} ms", endpoint, requestId, attempt + 1,
          lastError != null ? lastError : "HTTP " + lastStatus, delay);
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ErsatzException("interrupted while backing off on endpoint " + endpoint, e);
      }
    }
  }

  /** Equal-jitter exponential backoff, seeded by the request id so a rerun waits the same. */
  long backoff(String requestId, int attempt) {
    long cap = Math.min(maxDelayMillis, baseDelayMillis << Math.min(attempt, 20));
    double u = jitter.split(requestId).split(attempt).nextDouble();
    return (long) (cap * (0.5 + 0.5 * u));
  }

  static long retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String h = header.trim();
    try {
      return Math.max(0, (long) (Double.parseDouble(h) * 1000));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime t = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, t.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (RuntimeException e2) {
        return -1;
      }
    }
  }

  private HttpResponse<String> send(HttpRequest request, URI uri, String body) throws IOException, InterruptedException {
    inFlight.acquire();
    try {
      waitForSlot();
      java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri).timeout(timeout);
      for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
        if (RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
          continue;
        }
        for (String v : h.getValue()) {
          b.header(h.getKey(), v);
        }
      }
      String method = request.method().name();
      if (method.equals("GET")) {
        b.GET();
      } else {
        b.method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      }
      // sendAsync + bounded get: the request timeout covers the headers only, a stalled body
      // must not hang the run either
      var future = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      try {
        return future.get(timeout.toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        future.cancel(true);
        throw new HttpTimeoutException("no complete response");
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof IOException io) {
          throw io;
        }
        throw new IOException(c == null ? "unknown" : c.getClass().getSimpleName());
      }
    } finally {
      inFlight.release();
    }
  }

  private void waitForSlot() throws InterruptedException {
    if (intervalNanos == 0) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long slot = Math.max(now, nextSlot);
      nextSlot = slot + intervalNanos;
      wait = slot - now;
    }
    if (wait > 0) {
      sleeper.sleep(wait / 1_000_000L);
    }
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    throw new UnsupportedOperationException("streaming is not used by Ersatz pipelines");
  }
}
