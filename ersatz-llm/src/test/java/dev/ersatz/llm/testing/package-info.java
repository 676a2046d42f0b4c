/** Test fixtures: a scripted local OpenAI-compatible / Ollama server with fault injection. */
package dev.ersatz.llm.testing;
