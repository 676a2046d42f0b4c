package dev.ersatz.llm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Seed tasks and configs for pipeline tests. */
final class Fixtures {
  private Fixtures() {}

  static final String[] SEEDS = {
      "Give three tips for staying healthy.",
      "Rewrite the sentence in passive voice.",
      "Is the following review positive or negative?",
      "Write a haiku about autumn leaves.",
      "Explain why the sky is blue to a child.",
      "Convert 100 degrees Fahrenheit to Celsius.",
      "Suggest a name for a bakery that sells vegan bread.",
      "Classify the animal as a mammal, bird or reptile.",
      "Write a polite email declining a meeting invitation.",
      "Find the grammatical error in the sentence.",
      "Brainstorm five uses for an empty glass jar.",
      "Summarize the plot of Romeo and Juliet in two sentences.",
  };

  static Path seeds(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < SEEDS.length; i++) {
      boolean cls = SEEDS[i].contains("positive or negative") || SEEDS[i].startsWith("Classify");
      sb.append("{\"id\": \"seed_task_").append(i).append("\", \"instruction\": \"").append(SEEDS[i])
          .append("\", \"instances\": [{\"input\": \"\", \"output\": \"An example answer.\"}], \"is_classification\": ")
          .append(cls).append("}\n");
    }
    Path p = dir.resolve("seed_tasks.jsonl");
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
    return p;
  }

  static Path config(Path dir, String baseUrl, String outputDir, int rounds, int perRound, String strategy) throws IOException {
    seeds(dir);
    String yaml = """
        seed: 11
        outputDir: %s
        rounds: %d
        endpoints:
          - name: gen
            type: openai
            baseUrl: %s
            model: scripted-gen
            apiKeyEnv: ERSATZ_TEST_KEY
            concurrency: 3
            maxRetries: 3
            timeoutSeconds: 10
            costPerMillionInputTokens: 1.0
            costPerMillionOutputTokens: 2.0
          - name: judge
            type: openai
            baseUrl: %s
            model: scripted-judge
            concurrency: 2
        strategy:
          type: %s
          generator: gen
          perRound: %d
          seedTasks: seed_tasks.jsonl
          topics: [tides, bread, chess]
          audiences: [a child, an engineer]
          styles: [a textbook section, a dialogue]
        filters:
          judge: {endpoint: judge, threshold: 5}
        review: {sampleRate: 0.1, minSample: 5, maxRejectRate: 0.5, confidence: 0.9}
        """.formatted(outputDir, rounds, baseUrl, baseUrl, strategy, perRound);
    Path p = dir.resolve("pipeline-" + outputDir.replaceAll("[^a-z0-9]", "") + ".yaml");
    Files.writeString(p, yaml, StandardCharsets.UTF_8);
    return p;
  }
}
