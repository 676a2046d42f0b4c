package dev.ersatz.llm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one example came from and what happened to it.
 *
 * @param strategy the strategy that generated it ({@code human} for seed tasks)
 * @param endpoint the generating endpoint's name
 * @param model the generating model
 * @param templates prompt template name to SHA-256 of its text, for every template used
 * @param contextIds ids of the in-context examples shown in the prompt (empty if none)
 * @param parentId the evolved example's parent (evol-instruct), or null
 * @param round the generation round (0 for human seeds)
 * @param stratum the review stratum (e.g. classification / evolution kind / topic)
 * @param requestIds the ids of every model call that produced it (cassette keys)
 * @param filterScores every filter's score or verdict, by filter name
 * @param judgeModel the judge's model, or null when no judge is configured
 * @param reviewVerdict {@code accept}, {@code reject}, {@code edit}, or {@code not-sampled}
 */
public record Lineage(
    String strategy, String endpoint, String model, Map<String, String> templates, List<String> contextIds,
    String parentId, int round, String stratum, List<String> requestIds, Map<String, Object> filterScores,
    String judgeModel, String reviewVerdict) {

  /** Copies the collections. */
  public Lineage {
    templates = Map.copyOf(templates);
    contextIds = List.copyOf(contextIds);
    requestIds = List.copyOf(requestIds);
    filterScores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(filterScores));
  }

  /**
   * Returns a copy with a review verdict.
   *
   * @param verdict the verdict
   * @return the copy
   */
  public Lineage withVerdict(String verdict) {
    return new Lineage(strategy, endpoint, model, templates, contextIds, parentId, round, stratum, requestIds,
        filterScores, judgeModel, verdict);
  }

  /** @return plain JSON values */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("strategy", strategy);
    m.put("endpoint", endpoint);
    m.put("model", model);
    m.put("templates", new LinkedHashMap<>(templates));
    m.put("contextIds", contextIds);
    m.put("parentId", parentId);
    m.put("round", (long) round);
    m.put("stratum", stratum);
    m.put("requestIds", requestIds);
    m.put("filterScores", new LinkedHashMap<>(filterScores));
    m.put("judgeModel", judgeModel);
    m.put("reviewVerdict", reviewVerdict);
    return m;
  }

  /**
   * Reads {@link #toJson()} output.
   *
   * @param m the map
   * @return the lineage
   */
  @SuppressWarnings("unchecked")
  public static Lineage fromJson(Map<String, Object> m) {
    return new Lineage((String) m.get("strategy"), (String) m.get("endpoint"), (String) m.get("model"),
        (Map<String, String>) m.get("templates"), (List<String>) m.get("contextIds"), (String) m.get("parentId"),
        ((Number) m.get("round")).intValue(), (String) m.get("stratum"), (List<String>) m.get("requestIds"),
        (Map<String, Object>) m.get("filterScores"), (String) m.get("judgeModel"), (String) m.get("reviewVerdict"));
  }
}
