package dev.ersatz.llm.endpoint;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An {@link LlmEndpoint} over a LangChain4j {@link ChatModel} whose HTTP client is reliable. */
final class LangChainEndpoint implements LlmEndpoint {
  private final String name;
  private final String type;
  private final String model;
  private final String baseUrl;
  private final ChatModel chat;
  private final Budget budget;
  private final double costIn;
  private final double costOut;
  private final Map<String, Object> settings;

  LangChainEndpoint(String name, String type, String model, String baseUrl, ChatModel chat, Budget budget,
      double costPerMillionIn, double costPerMillionOut, Map<String, Object> settings) {
    this.name = name;
    this.type = type;
    this.model = model;
    this.baseUrl = baseUrl;
    this.chat = chat;
    this.budget = budget;
    this.costIn = costPerMillionIn;
    this.costOut = costPerMillionOut;
    this.settings = settings;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public Completion complete(Prompt prompt) {
    budget.admit();
    List<ChatMessage> messages = new ArrayList<>();
    if (!prompt.system().isEmpty()) {
      messages.add(SystemMessage.from(prompt.system()));
    }
    messages.add(UserMessage.from(prompt.user()));
    RequestContext.set(prompt.requestId());
    ChatResponse resp;
    try {
      resp = chat.chat(ChatRequest.builder().messages(messages).build());
    } catch (RuntimeException e) {
      // transport failures after retries, HTTP errors, unparsable (e.g. truncated) JSON
      return Completion.failed(name, model, reason(e));
    } finally {
      RequestContext.clear();
    }
    TokenUsage u = resp.tokenUsage();
    long in = u == null || u.inputTokenCount() == null ? 0 : u.inputTokenCount();
    long out = u == null || u.outputTokenCount() == null ? 0 : u.outputTokenCount();
    double cost = in * costIn / 1e6 + out * costOut / 1e6;
    budget.charge(in + out, cost);
    String text = resp.aiMessage() == null ? null : resp.aiMessage().text();
    if (text == null || text.isBlank()) {
      return new Completion(name, model, "", "empty completion", false, in, out, cost);
    }
    boolean truncated = resp.finishReason() == FinishReason.LENGTH;
    return new Completion(name, model, text, null, truncated, in, out, cost);
  }

  /** A short reason without secrets: exception types and messages, never headers. */
  static String reason(Throwable e) {
    StringBuilder sb = new StringBuilder();
    Throwable t = e;
    for (int depth = 0; t != null && depth < 4; depth++, t = t.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(t.getClass().getSimpleName());
      String m = t.getMessage();
      if (m != null) {
        sb.append(": ").append(m.length() > 200 ? m.substring(0, 200) + "..." : m);
      }
    }
    return sb.toString();
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("type", type);
    m.put("baseUrl", baseUrl);
    m.put("model", model);
    m.putAll(settings);
    return m;
  }

  @Override
  public String toString() {
    return "LlmEndpoint[" + name + ", " + type + ", " + model + " at " + baseUrl + "]";
  }
}
