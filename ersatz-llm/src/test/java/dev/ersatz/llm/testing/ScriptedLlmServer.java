package dev.ersatz.llm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scripted local LLM server for tests: answers OpenAI-compatible {@code POST /v1/chat/completions}
 * and Ollama-native {@code POST /api/chat} with deterministic content from a responder function,
 * and injects faults (429 with Retry-After, 5xx, slow responses, truncated JSON, dropped
 * connections) into the next requests on demand. Binds 127.0.0.1 on a free port.
 */
public final class ScriptedLlmServer implements AutoCloseable {
  private static final ObjectMapper OM = new ObjectMapper();

  /** What the responder sees of one chat request. */
  public record Request(String path, String model, String system, String user, String authorization, int number) {}

  /** A fault applied to one request instead of (or before) the normal answer. */
  public sealed interface Fault permits RateLimited, ServerError, Slow, TruncatedJson, ConnectionReset {}

  /** Status 429 with a {@code Retry-After} header in seconds. */
  public record RateLimited(int retryAfterSeconds) implements Fault {}

  /** A 5xx status. */
  public record ServerError(int status) implements Fault {}

  /** Answer normally after a delay. */
  public record Slow(long millis) implements Fault {}

  /** Status 200 with a body cut in the middle of the JSON. */
  public record TruncatedJson() implements Fault {}

  /** Headers promise a body that never fully arrives; the connection is closed. */
  public record ConnectionReset() implements Fault {}

  private final HttpServer server;
  private final ExecutorService pool;
  private final Function<Request, String> responder;
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger counter = new AtomicInteger();

  private ScriptedLlmServer(Function<Request, String> responder) throws IOException {
    this.responder = responder;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.pool = Executors.newFixedThreadPool(16);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a server.
   *
   * @param responder maps each request to the assistant's content; must be deterministic
   * @return the running server
   * @throws IOException when the port cannot be bound
   */
  public static ScriptedLlmServer start(Function<Request, String> responder) throws IOException {
    return new ScriptedLlmServer(responder);
  }

  /** @return base URL for OpenAI-compatible clients, ending in {@code /v1} */
  public String openAiBaseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** @return base URL for Ollama-native clients */
  public String ollamaBaseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Queues faults for the next requests, one fault per request, in order.
   *
   * @param f the faults
   */
  public void enqueue(Fault... f) {
    synchronized (faults) {
      faults.addAll(List.of(f));
    }
  }

  /** @return every request answered or faulted so far, in arrival order */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean ollama = path.endsWith("/api/chat");
      if (!ollama && !path.endsWith("/chat/completions")) {
        send(ex, 404, "{\"error\":{\"message\":\"no such route\"}}");
        return;
      }
      JsonNode req = OM.readTree(body);
      String system = "";
      String user = "";
      for (JsonNode m : req.path("messages")) {
        String role = m.path("role").asText();
        String content = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
        if (role.equals("system")) {
          system = content;
        } else if (role.equals("user")) {
          user = content;
        }
      }
      Request r = new Request(path, req.path("model").asText(), system, user,
          ex.getRequestHeaders().getFirst("Authorization"), counter.incrementAndGet());
      requests.add(r);
      Fault fault;
      synchronized (faults) {
        fault = faults.pollFirst();
      }
      if (fault instanceof RateLimited rl) {
        ex.getResponseHeaders().add("Retry-After", Integer.toString(rl.retryAfterSeconds()));
        send(ex, 429, "{\"error\":{\"message\":\"rate limited\",\"type\":\"rate_limit\"}}");
        return;
      }
      if (fault instanceof ServerError se) {
        send(ex, se.status(), "{\"error\":{\"message\":\"boom\"}}");
        return;
      }
      if (fault instanceof Slow s) {
        try {
          Thread.sleep(s.millis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      String content = responder.apply(r);
      String json = ollama ? ollamaJson(r, content) : openAiJson(r, content);
      if (fault instanceof TruncatedJson) {
        send(ex, 200, json.substring(0, json.length() / 2));
        return;
      }
      if (fault instanceof ConnectionReset) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length + 1000L);
        OutputStream os = ex.getResponseBody();
        os.write(b, 0, Math.min(10, b.length));
        os.flush();
        // closing with bytes missing makes the server drop the connection
        return;
      }
      send(ex, 200, json);
    } catch (IOException | RuntimeException e) {
      // a dropped connection is the point of some faults; nothing to report
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  private static int words(String s) {
    String t = s.trim();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  private static String openAiJson(Request r, String content) {
    ObjectNode root = OM.createObjectNode();
    root.put("id", "chatcmpl-" + r.number());
    root.put("object", "chat.completion");
    root.put("created", 1_700_000_000L);
    root.put("model", r.model());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode msg = choice.putObject("message");
    msg.put("role", "assistant");
    msg.put("content", content);
    choice.put("finish_reason", "stop");
    ObjectNode usage = root.putObject("usage");
    int in = words(r.system()) + words(r.user());
    int out = words(content);
    usage.put("prompt_tokens", in);
    usage.put("completion_tokens", out);
    usage.put("total_tokens", in + out);
    return root.toString();
  }

  private static String ollamaJson(Request r, String content) {
    ObjectNode root = OM.createObjectNode();
    root.put("model", r.model());
    root.put("created_at", "2026-01-01T00:00:00Z");
    ObjectNode msg = root.putObject("message");
    msg.put("role", "assistant");
    msg.put("content", content);
    root.put("done", true);
    root.put("done_reason", "stop");
    root.put("prompt_eval_count", words(r.system()) + words(r.user()));
    root.put("eval_count", words(content));
    return root.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
