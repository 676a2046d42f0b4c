package dev.ersatz.models;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.JsonMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Privacy protections every generator applies by default.
 *
 * <ul>
 *   <li>Categories seen fewer than {@code k} times are merged into one protected bucket, written
 *       as {@link #RARE_LABEL} (for booleans, whose output must stay one of two tokens, a rare
 *       value is dropped instead);
 *   <li>numeric values are clipped to [{@code k}-th smallest, {@code k}-th largest], so no value
 *       reached by fewer than {@code k} people is ever emitted;
 *   <li>numeric values are sampled from fitted densities; no fitted parameter is a raw row.
 * </ul>
 *
 * @param k the minimum number of real rows behind any emitted category or extreme; 1 disables
 */
public record PrivacySettings(int k) {
  /** The label of the protected bucket of rare categories. */
  public static final String RARE_LABEL = "_RARE_";

  public PrivacySettings {
    if (k < 1) {
      throw new UserInputException("k (rare-value threshold) must be >= 1 but was " + k);
    }
  }

  public static PrivacySettings defaults() {
    return new PrivacySettings(5);
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rareCategoryThreshold", k);
    m.put("rareCategoryLabel", RARE_LABEL);
    m.put("numericClipping", "k-th order statistics");
    m.put("differentialPrivacy", false);
    return m;
  }

  public static PrivacySettings fromJson(JsonMap j) {
    return new PrivacySettings(j.integer("rareCategoryThreshold"));
  }
}
