package dev.ersatz.core.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a model was made: generator and parameters, the source's fingerprint, the seed and the
 * environment. Holds hashes and settings, never data values or secrets.
 *
 * @param generator the generator's name
 * @param parameters the generator's configuration, as given
 * @param source fingerprint of the training data
 * @param seed the fit's seed
 * @param privacy privacy settings applied (rare-category threshold, clipping, epsilon...)
 * @param ersatzVersion library version
 * @param javaVersion {@code java.version} at fit time
 * @param osArch {@code os.arch} at fit time
 * @param createdAt ISO-8601 instant of the fit
 */
public record ModelProvenance(
    String generator,
    Map<String, Object> parameters,
    SourceInfo source,
    long seed,
    Map<String, Object> privacy,
    String ersatzVersion,
    String javaVersion,
    String osArch,
    String createdAt) {

  public ModelProvenance {
    Objects.requireNonNull(generator, "generator");
    parameters = Map.copyOf(parameters);
    Objects.requireNonNull(source, "source");
    privacy = Map.copyOf(privacy);
  }

  /** Provenance of a fit happening now on this JVM. */
  public static ModelProvenance now(String generator, Map<String, Object> parameters,
      SourceInfo source, long seed, Map<String, Object> privacy) {
    return new ModelProvenance(generator, parameters, source, seed, privacy, Version.get(),
        System.getProperty("java.version", ""), System.getProperty("os.arch", ""),
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
  }

  /** As plain JSON values. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generator", generator);
    m.put("parameters", parameters);
    Map<String, Object> src = new LinkedHashMap<>();
    src.put("name", source.name());
    src.put("sha256", source.sha256());
    src.put("schemaSha256", source.schemaSha256());
    src.put("rows", source.rows());
    m.put("source", src);
    m.put("seed", seed);
    m.put("privacy", privacy);
    m.put("ersatzVersion", ersatzVersion);
    m.put("javaVersion", javaVersion);
    m.put("osArch", osArch);
    m.put("createdAt", createdAt);
    return m;
  }

  /** Reads what {@link #toJson()} wrote. */
  public static ModelProvenance fromJson(dev.ersatz.core.json.JsonMap j) {
    dev.ersatz.core.json.JsonMap s = j.obj("source");
    return new ModelProvenance(j.str("generator"), j.obj("parameters").raw(),
        new SourceInfo(s.str("name"), s.str("sha256"), s.str("schemaSha256"), s.lng("rows")),
        j.lng("seed"), j.obj("privacy").raw(), j.str("ersatzVersion"), j.str("javaVersion"),
        j.str("osArch"), j.str("createdAt"));
  }
}
