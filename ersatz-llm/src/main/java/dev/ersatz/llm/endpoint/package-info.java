/**
 * Model endpoints (LangChain4j OpenAI-compatible and Ollama clients) with retries, rate and
 * concurrency limits, a token/cost budget and record/replay of every call.
 */
package dev.ersatz.llm.endpoint;
