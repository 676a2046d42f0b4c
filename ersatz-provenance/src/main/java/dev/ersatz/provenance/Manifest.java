package dev.ersatz.provenance;

import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.spi.SourceInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one synthetic output is and how it was made: the content that {@link Manifests} signs
 * and writes to {@code <output>.manifest.json}. Holds hashes, settings and ids, never data
 * values or secrets. The JSON form is documented in docs/manifest.md.
 *
 * @param id the output dataset's id, {@code d-} and the first 16 hex digits of the first output
 *     file's SHA-256
 * @param createdAt ISO-8601 instant the output was written
 * @param ersatzVersion library version
 * @param javaVersion {@code java.version}
 * @param javaVendor {@code java.vendor}
 * @param osArch {@code os.arch}
 * @param generator the generator's name
 * @param parameters the generator's configuration
 * @param seed the sampling seed
 * @param epsilonSpent total differential-privacy epsilon spent on the source, or {@code null}
 *     when the generator is not differentially private
 * @param rows number of data rows written
 * @param sources fingerprints of the training data of the model
 * @param model the model the rows were sampled from, or {@code null}
 * @param outputs the files written, with their hashes
 * @param outputSchemaSha256 canonical schema hash of the output (see {@link Hashes}), or ""
 * @param privacy privacy settings applied (from the model's provenance)
 * @param watermark the watermark applied ({@code scheme}, {@code keyId}), or empty
 * @param parents the ancestors, nearest first: the model, its training dataset, and when that
 *     dataset was itself synthetic, its model and so on up to real sources
 * @param sampling the sampling options that decide which rows were drawn besides the seed
 *     (conditions, rebalancing, a release gate), as plain JSON values; empty when none
 */
public record Manifest(
    String id,
    String createdAt,
    String ersatzVersion,
    String javaVersion,
    String javaVendor,
    String osArch,
    String generator,
    Map<String, Object> parameters,
    long seed,
    Double epsilonSpent,
    long rows,
    List<SourceInfo> sources,
    ModelRef model,
    List<OutputFile> outputs,
    String outputSchemaSha256,
    Map<String, Object> privacy,
    Map<String, Object> watermark,
    List<Ancestor> parents,
    Map<String, Object> sampling) {

  public Manifest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(generator, "generator");
    parameters = Map.copyOf(parameters);
    sources = List.copyOf(sources);
    outputs = List.copyOf(outputs);
    Objects.requireNonNull(outputSchemaSha256, "outputSchemaSha256");
    privacy = Map.copyOf(privacy);
    watermark = Map.copyOf(watermark);
    parents = List.copyOf(parents);
    sampling = Map.copyOf(sampling);
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("a manifest describes at least one output file");
    }
  }

  /**
   * The model file an output was sampled from.
   *
   * @param id {@code m-} and the first 16 hex digits of the file's SHA-256
   * @param path the file's path relative to the manifest's directory (or absolute when it is on
   *     another root), with {@code /} separators; "" when unknown
   * @param sha256 SHA-256 of the model file
   * @param generator the generator that fitted it
   * @param fitSeed the fit's seed
   * @param createdAt when it was fitted
   */
  public record ModelRef(String id, String path, String sha256, String generator, long fitSeed,
      String createdAt) {
    public ModelRef {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(generator, "generator");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }

  /**
   * One output file.
   *
   * @param path relative to the manifest's directory, {@code /} separators
   * @param sha256 SHA-256 of all its bytes
   * @param bytes its size
   * @param chunkSize the size of the chunks hashed in {@code chunks}
   * @param chunks SHA-256 of each {@code chunkSize} block in order, to locate a change
   */
  public record OutputFile(String path, String sha256, long bytes, long chunkSize,
      List<String> chunks) {
    public OutputFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(sha256, "sha256");
      chunks = List.copyOf(chunks);
    }
  }

  /**
   * One ancestor in the lineage chain.
   *
   * @param kind {@code "model"} or {@code "dataset"}
   * @param id the ancestor's id ({@code m-...} or {@code d-...})
   * @param name a file name or label
   * @param sha256 its content hash, "" when unknown
   * @param generator for a model, its generator; for a synthetic dataset, the generator that
   *     made it; "" for a real source
   * @param derivedFrom the ids this ancestor was made from (a model: its training data; a
   *     synthetic dataset: its model); empty for a real source
   */
  public record Ancestor(String kind, String id, String name, String sha256, String generator,
      List<String> derivedFrom) {
    public Ancestor {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(generator, "generator");
      derivedFrom = List.copyOf(derivedFrom);
    }
  }

  /** The first output file. */
  public OutputFile primaryOutput() {
    return outputs.get(0);
  }

  /** As plain JSON values (the signed content). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("createdAt", createdAt);
    m.put("ersatzVersion", ersatzVersion);
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("javaVersion", javaVersion);
    env.put("javaVendor", javaVendor);
    env.put("osArch", osArch);
    m.put("environment", env);
    m.put("generator", generator);
    m.put("parameters", parameters);
    m.put("seed", seed);
    m.put("epsilonSpent", epsilonSpent);
    m.put("rows", rows);
    List<Object> src = new ArrayList<>();
    for (SourceInfo s : sources) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", s.name());
      e.put("sha256", s.sha256());
      e.put("schemaSha256", s.schemaSha256());
      e.put("rows", s.rows());
      src.add(e);
    }
    m.put("sources", src);
    if (model != null) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("id", model.id());
      e.put("path", model.path());
      e.put("sha256", model.sha256());
      e.put("generator", model.generator());
      e.put("fitSeed", model.fitSeed());
      e.put("createdAt", model.createdAt());
      m.put("model", e);
    } else {
      m.put("model", null);
    }
    List<Object> outs = new ArrayList<>();
    for (OutputFile o : outputs) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("path", o.path());
      e.put("sha256", o.sha256());
      e.put("bytes", o.bytes());
      e.put("chunkSize", o.chunkSize());
      e.put("chunks", new ArrayList<Object>(o.chunks()));
      outs.add(e);
    }
    m.put("outputs", outs);
    m.put("outputSchemaSha256", outputSchemaSha256);
    m.put("privacy", privacy);
    m.put("watermark", watermark);
    List<Object> par = new ArrayList<>();
    for (Ancestor a : parents) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("kind", a.kind());
      e.put("id", a.id());
      e.put("name", a.name());
      e.put("sha256", a.sha256());
      e.put("generator", a.generator());
      e.put("derivedFrom", new ArrayList<Object>(a.derivedFrom()));
      par.add(e);
    }
    m.put("parents", par);
    m.put("sampling", sampling);
    return m;
  }

  /** Reads what {@link #toJson()} wrote. */
  public static Manifest fromJson(JsonMap j) {
    JsonMap env = j.obj("environment");
    List<SourceInfo> sources = new ArrayList<>();
    for (JsonMap s : j.objects("sources")) {
      sources.add(new SourceInfo(s.str("name"), s.str("sha256"), s.str("schemaSha256"),
          s.lng("rows")));
    }
    ModelRef model = null;
    if (j.has("model")) {
      JsonMap e = j.obj("model");
      model = new ModelRef(e.str("id"), e.str("path"), e.str("sha256"), e.str("generator"),
          e.lng("fitSeed"), e.str("createdAt"));
    }
    List<OutputFile> outs = new ArrayList<>();
    for (JsonMap o : j.objects("outputs")) {
      outs.add(new OutputFile(o.str("path"), o.str("sha256"), o.lng("bytes"),
          o.lng("chunkSize"), o.strings("chunks")));
    }
    List<Ancestor> parents = new ArrayList<>();
    for (JsonMap a : j.objects("parents")) {
      parents.add(new Ancestor(a.str("kind"), a.str("id"), a.str("name"), a.str("sha256"),
          a.str("generator"), a.strings("derivedFrom")));
    }
    return new Manifest(j.str("id"), j.str("createdAt"), j.str("ersatzVersion"),
        env.str("javaVersion"), env.str("javaVendor"), env.str("osArch"), j.str("generator"),
        j.obj("parameters").raw(), j.lng("seed"),
        j.has("epsilonSpent") ? j.num("epsilonSpent") : null, j.lng("rows"), sources, model,
        outs, j.str("outputSchemaSha256"), j.obj("privacy").raw(), j.obj("watermark").raw(),
        parents, j.has("sampling") ? j.obj("sampling").raw() : Map.of());
  }
}
