package dev.ersatz.llm.endpoint;

/** Carries the current request id from the endpoint to its HTTP client (same thread). */
final class RequestContext {
  private static final ThreadLocal<String> ID = new ThreadLocal<>();

  private RequestContext() {}

  static void set(String id) {
    ID.set(id);
  }

  static String get() {
    String id = ID.get();
    return id == null ? "" : id;
  }

  static void clear() {
    ID.remove();
  }
}
