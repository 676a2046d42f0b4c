package dev.ersatz.llm.filter;

/** Embeds text into unit-length vectors (cosine similarity is then a dot product). Thread-safe. */
public interface Embedder {
  /**
   * Embeds a text.
   *
   * @param text the text
   * @return a unit-length vector
   */
  float[] embed(String text);

  /** @return a description for the manifest */
  String describe();

  /**
   * Cosine similarity of two unit vectors.
   *
   * @param a first
   * @param b second
   * @return their dot product
   */
  static double cosine(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
