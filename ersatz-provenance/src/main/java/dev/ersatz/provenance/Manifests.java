package dev.ersatz.provenance;

import dev.ersatz.core.ModelFormatException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.core.spi.SourceInfo;
import dev.ersatz.core.spi.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds, signs, writes and reads manifests. A manifest file {@code <output>.manifest.json} is
 * an envelope:
 *
 * <pre>{@code
 * {"format": "ersatz-manifest", "formatVersion": 1,
 *  "manifest": { ...Manifest.toJson()... },
 *  "signature": {"algorithm": "Ed25519", "keyId": "...", "publicKey": "<base64 X.509>",
 *                "value": "<base64>"}}
 * }</pre>
 *
 * The signature covers the bytes {@code "ersatz-manifest-v1\n"} followed by the canonical JSON
 * ({@link Json#write}: sorted keys, no whitespace) of the {@code manifest} object. The file
 * itself is written with sorted keys and indentation for people to read.
 */
public final class Manifests {
  /** The {@code format} value of a manifest envelope. */
  public static final String FORMAT = "ersatz-manifest";
  /** The envelope version this library writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** The suffix appended to an output's file name. */
  public static final String SUFFIX = ".manifest.json";
  static final String DOMAIN = "ersatz-manifest-v1\n";

  private Manifests() {}

  /** The manifest path of an output file: {@code <output>.manifest.json} beside it. */
  public static Path manifestPath(Path output) {
    String name = output.getFileName().toString();
    if (name.endsWith(SUFFIX)) {
      return output;
    }
    return output.resolveSibling(name + SUFFIX);
  }

  /** Starts a manifest for {@code output}, which must already be written. */
  public static Builder builder(Path output) {
    return new Builder(output);
  }

  /**
   * Signs {@code manifest} and writes it to {@code <output>.manifest.json} (temp file, then
   * rename).
   *
   * @param output the output file the manifest describes
   * @param manifest its content
   * @param key the signing key
   * @return the manifest file written
   * @throws UserInputException when it cannot be written
   */
  public static Path write(Path output, Manifest manifest, SigningKey key) {
    Objects.requireNonNull(key, "key");
    Map<String, Object> body = manifest.toJson();
    byte[] signed = signedBytes(body);
    Map<String, Object> sig = new LinkedHashMap<>();
    sig.put("algorithm", "Ed25519");
    sig.put("keyId", key.keyId());
    sig.put("publicKey", Base64.getEncoder().encodeToString(key.publicKey().getEncoded()));
    sig.put("value", Base64.getEncoder().encodeToString(key.sign(signed)));
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("format", FORMAT);
    env.put("formatVersion", FORMAT_VERSION);
    env.put("manifest", body);
    env.put("signature", sig);
    Path target = manifestPath(output);
    writeAtomically(target, Json.writePretty(env));
    return target;
  }

  /**
   * Reads and parses a manifest (without verifying it; see {@link Verifier}).
   *
   * @param outputOrManifest the output file or its manifest file
   * @throws ModelFormatException when the file is not a manifest of a known version
   * @throws UserInputException when it is missing
   */
  public static Manifest read(Path outputOrManifest) {
    return Manifest.fromJson(readEnvelope(manifestPath(outputOrManifest)).obj("manifest"));
  }

  static JsonMap readEnvelope(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserInputException("cannot read manifest " + file
          + "; it should sit beside the output it describes");
    }
    JsonMap env;
    try {
      env = Json.parseObject(text);
    } catch (RuntimeException e) {
      throw new ModelFormatException(file + " is not valid JSON: " + e.getMessage());
    }
    if (!FORMAT.equals(env.str("format", ""))) {
      throw new ModelFormatException(file + " is not an Ersatz manifest (no \"format\": \""
          + FORMAT + "\")");
    }
    long v = env.lng("formatVersion");
    if (v != FORMAT_VERSION) {
      throw new ModelFormatException(file + " has manifest format version " + v
          + "; this Ersatz reads version " + FORMAT_VERSION + ". Use a matching Ersatz version");
    }
    return env;
  }

  static byte[] signedBytes(Map<String, Object> body) {
    return (DOMAIN + Json.write(body)).getBytes(StandardCharsets.UTF_8);
  }

  static void writeAtomically(Path target, String text) {
    Path dir = target.toAbsolutePath().getParent();
    try {
      Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          // temp files are created private; manifests and cards are meant to travel with the
          // data, so they get the usual rw-r--r--
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UserInputException("cannot write " + target + ": " + e.getMessage()
          + "; check that the directory exists and is writable", e);
    }
  }

  /** A path as recorded in a manifest: relative to {@code base} when possible, '/'-separated. */
  static String relativePath(Path base, Path file) {
    Path b = base.toAbsolutePath().normalize();
    Path f = file.toAbsolutePath().normalize();
    String s;
    if (f.getRoot() != null && f.getRoot().equals(b.getRoot())) {
      s = b.relativize(f).toString();
    } else {
      s = f.toString();
    }
    return s.replace(f.getFileSystem().getSeparator(), "/");
  }

  /** Resolves a recorded path against the manifest's directory. */
  static Path resolve(Path base, String recorded) {
    return base.toAbsolutePath().resolve(recorded.replace("/", base.getFileSystem().getSeparator()))
        .normalize();
  }

  /** Id of a dataset with SHA-256 {@code sha} (or of a named source of unknown hash). */
  public static String datasetId(String sha, String name) {
    return "d-" + (sha.isEmpty() ? Hashes.sha256("name:" + name) : sha).substring(0, 16);
  }

  /** Id of a model file with SHA-256 {@code sha}. */
  public static String modelId(String sha) {
    return "m-" + sha.substring(0, 16);
  }

  /** Builds a {@link Manifest} from a written output, its model and settings. */
  public static final class Builder {
    private final Path output;
    private final List<Path> extraOutputs = new ArrayList<>();
    private ModelProvenance provenance;
    private Path modelFile;
    private Path sourceFile;
    private Schema outputSchema;
    private String generator = "";
    private Map<String, Object> parameters = Map.of();
    private long seed;
    private long rows = -1;
    private Double epsilon;
    private Map<String, Object> watermark = Map.of();
    private Map<String, Object> sampling = Map.of();
    private Instant createdAt;

    private Builder(Path output) {
      this.output = Objects.requireNonNull(output, "output");
    }

    /** The provenance of the model (generator, parameters, source fingerprint, privacy). */
    public Builder provenance(ModelProvenance p) {
      this.provenance = Objects.requireNonNull(p, "provenance");
      this.generator = p.generator();
      this.parameters = p.parameters();
      return this;
    }

    /** The model file sampled from; hashed, and recorded relative to the output's folder. */
    public Builder modelFile(Path f) {
      this.modelFile = f;
      return this;
    }

    /**
     * The training data file, when at hand. If it has a manifest of its own (it was synthetic),
     * that manifest's lineage is appended to the parent chain.
     */
    public Builder sourceFile(Path f) {
      this.sourceFile = f;
      return this;
    }

    /** Generator and parameters when there is no model provenance. */
    public Builder generator(String name, Map<String, Object> params) {
      this.generator = Objects.requireNonNull(name, "generator");
      this.parameters = Map.copyOf(params);
      return this;
    }

    /** The sampling seed. */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Rows written. */
    public Builder rows(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("rows must be >= 0 but was " + n);
      }
      this.rows = n;
      return this;
    }

    /** Total epsilon spent, for differentially private generators. */
    public Builder epsilonSpent(double eps) {
      if (!(eps >= 0) || Double.isInfinite(eps)) {
        throw new IllegalArgumentException("epsilon must be finite and >= 0 but was " + eps);
      }
      this.epsilon = eps;
      return this;
    }

    /** The output's schema, hashed canonically. */
    public Builder outputSchema(Schema s) {
      this.outputSchema = s;
      return this;
    }

    /** Another file written with the output (hashed and verified too). */
    public Builder extraOutput(Path f) {
      extraOutputs.add(f);
      return this;
    }

    /** Records that the rows carry a watermark of {@code scheme} under key {@code keyId}. */
    public Builder watermark(String scheme, String keyId) {
      this.watermark = Map.of("scheme", scheme, "keyId", keyId);
      return this;
    }

    /**
     * The sampling options that decide which rows were drawn besides the seed (conditions,
     * rebalancing, a release gate), as plain JSON values.
     */
    public Builder sampling(Map<String, Object> options) {
      this.sampling = Map.copyOf(options);
      return this;
    }

    /** Overrides the creation time (tests). */
    public Builder createdAt(Instant t) {
      this.createdAt = t;
      return this;
    }

    /**
     * Hashes the files and returns the manifest.
     *
     * @throws UserInputException when a file cannot be read, or rows were not given
     */
    public Manifest build() {
      if (rows < 0) {
        throw new IllegalStateException("rows(...) must be set before build()");
      }
      Path base = output.toAbsolutePath().getParent();
      List<Manifest.OutputFile> outs = new ArrayList<>();
      List<Path> all = new ArrayList<>();
      all.add(output);
      all.addAll(extraOutputs);
      for (Path p : all) {
        long size;
        try {
          size = Files.size(p);
        } catch (IOException e) {
          throw new UserInputException("output " + p + " does not exist or cannot be read; "
              + "write the output before its manifest");
        }
        Hashes.FileDigest d = Hashes.fileDigest(p, Hashes.chunkSize(size));
        outs.add(new Manifest.OutputFile(relativePath(base, p), d.sha256(), d.bytes(),
            d.chunkSize(), d.chunks()));
      }
      String id = datasetId(outs.get(0).sha256(), "");
      List<SourceInfo> sources = new ArrayList<>();
      List<Manifest.Ancestor> parents = new ArrayList<>();
      Manifest.ModelRef model = null;
      SourceInfo src = provenance == null ? null : provenance.source();
      String srcSha = src == null ? "" : src.sha256();
      if (sourceFile != null && srcSha.isEmpty()) {
        srcSha = Hashes.sha256(sourceFile);
      }
      if (src != null) {
        sources.add(new SourceInfo(src.name(), srcSha, src.schemaSha256(), src.rows()));
      } else if (sourceFile != null) {
        sources.add(new SourceInfo(sourceFile.getFileName().toString(), srcSha, "", 0));
      }
      String srcId = sources.isEmpty() ? null
          : datasetId(sources.get(0).sha256(), sources.get(0).name());
      if (modelFile != null) {
        String sha = Hashes.sha256(modelFile);
        model = new Manifest.ModelRef(modelId(sha), relativePath(base, modelFile), sha, generator,
            provenance == null ? 0 : provenance.seed(),
            provenance == null ? "" : provenance.createdAt());
        parents.add(new Manifest.Ancestor("model", model.id(),
            modelFile.getFileName().toString(), sha, generator,
            srcId == null ? List.of() : List.of(srcId)));
      }
      if (srcId != null) {
        parents.addAll(sourceChain(srcId, sources.get(0)));
      }
      Instant t = createdAt != null ? createdAt : Instant.now().truncatedTo(ChronoUnit.SECONDS);
      return new Manifest(id, t.toString(), Version.get(),
          System.getProperty("java.version", ""), System.getProperty("java.vendor", ""),
          System.getProperty("os.arch", ""), generator, parameters, seed, epsilon, rows,
          sources, model, outs,
          outputSchema == null ? "" : Hashes.schemaSha256(outputSchema),
          provenance == null ? Map.of() : provenance.privacy(), watermark, parents, sampling);
    }

    /** The source dataset, then (when it has its own manifest) its ancestors. */
    private List<Manifest.Ancestor> sourceChain(String srcId, SourceInfo src) {
      List<Manifest.Ancestor> chain = new ArrayList<>();
      Manifest parent = null;
      if (sourceFile != null && Files.exists(manifestPath(sourceFile))) {
        parent = read(sourceFile);
        if (!parent.primaryOutput().sha256().equals(src.sha256())) {
          // The source changed since its manifest was written: do not claim its lineage.
          parent = null;
        }
      }
      if (parent == null) {
        chain.add(new Manifest.Ancestor("dataset", srcId, src.name(), src.sha256(), "",
            List.of()));
        return chain;
      }
      List<String> from = parent.model() == null ? List.of() : List.of(parent.model().id());
      chain.add(new Manifest.Ancestor("dataset", parent.id(), src.name(), src.sha256(),
          parent.generator(), from));
      chain.addAll(parent.parents());
      return chain;
    }
  }
}
