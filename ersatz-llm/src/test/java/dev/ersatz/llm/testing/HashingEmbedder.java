package dev.ersatz.llm.testing;

import dev.ersatz.llm.filter.Embedder;
import dev.ersatz.llm.filter.RougeL;

/** A fast deterministic bag-of-words embedder for tests that do not need MiniLM. */
public final class HashingEmbedder implements Embedder {
  @Override
  public float[] embed(String text) {
    float[] v = new float[64];
    for (String t : RougeL.tokenize(text)) {
      int h = t.hashCode();
      v[Math.floorMod(h, 64)] += (h & 0x100) == 0 ? 1 : -1;
    }
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    if (n == 0) {
      v[0] = 1;
      return v;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }

  @Override
  public String describe() {
    return "hashing bag-of-words (tests)";
  }
}
