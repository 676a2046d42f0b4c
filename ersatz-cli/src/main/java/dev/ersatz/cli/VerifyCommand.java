package dev.ersatz.cli;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.table.Table;
import dev.ersatz.io.ReadOptions;
import dev.ersatz.io.TableReader;
import dev.ersatz.provenance.Keys;
import dev.ersatz.provenance.Manifests;
import dev.ersatz.provenance.VerificationResult;
import dev.ersatz.provenance.Verifier;
import dev.ersatz.provenance.Watermark;
import dev.ersatz.provenance.WatermarkKey;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ersatz verify}: checks an output against its signed manifest (signature, signer, every
 * hash, the model file) and names every change; with {@code --watermark}, tests the rows for the
 * watermark of a key and gives a p-value, also for a file without a manifest.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check an output against its signed manifest and say exactly what changed; "
        + "with --watermark, test the rows for your watermark (a p-value). Exit 0 when every "
        + "check passes, 1 when one fails.")
public final class VerifyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OUTPUT",
      description = "a synthetic output (its manifest OUTPUT.manifest.json beside it), or any "
          + "table for --watermark")
  Path output;

  @Option(names = "--public-key", paramLabel = "FILE",
      description = "the signer's public key (.pub) to trust (default: the key directory's)")
  Path publicKey;

  @Mixin
  Governance.KeyDirOption keys;

  @Option(names = "--watermark", description = "also test the rows for the watermark")
  boolean watermark;

  @Option(names = {"--key", "--watermark-key"}, paramLabel = "FILE",
      description = "watermark key file (default: watermark.key in the key directory)")
  Path watermarkKey;

  @Option(names = "--alpha", defaultValue = "1e-6", paramLabel = "P",
      description = "call the watermark present when its p-value is at most this "
          + "(default: ${DEFAULT-VALUE}; the false positive rate is at most P)")
  double alpha;

  @Option(names = "--json", description = "print the findings as JSON")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String name = output.getFileName().toString();
    Path data = name.endsWith(Manifests.SUFFIX)
        ? output.resolveSibling(name.substring(0, name.length() - Manifests.SUFFIX.length()))
        : output;
    boolean haveManifest = Files.exists(Manifests.manifestPath(output));
    if (!Files.exists(data) && !haveManifest) {
      throw new UserInputException("no such file: " + output + "; give the path of a "
          + "synthetic output (its manifest OUTPUT.manifest.json sits beside it)");
    }
    if (watermarkKey != null && !watermark) {
      throw new UserInputException("--key goes with --watermark");
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new UserInputException("--alpha must be between 0 and 1 but was " + alpha);
    }
    VerificationResult r = null;
    if (haveManifest || !watermark) {
      r = Verifier.verify(output, trusted());
    }
    Map<String, Object> wm = null;
    boolean ok = r == null || r.ok();
    if (watermark) {
      if (!Files.exists(data)) {
        throw new UserInputException("no such file: " + data + "; the watermark is tested on "
            + "the rows themselves");
      }
      WatermarkKey k = watermarkKey != null ? Keys.loadWatermark(watermarkKey)
          : Keys.loadWatermark(keys.dir());
      Table t = TableReader.read(data, ReadOptions.defaults()).table();
      Watermark.Detection d = Watermark.detect(t, k);
      ok &= d.detected(alpha);
      wm = new LinkedHashMap<>();
      wm.put("scheme", Watermark.SCHEME);
      wm.put("keyId", k.keyId());
      wm.put("detected", d.detected(alpha));
      wm.put("pValue", d.pValue());
      wm.put("log10PValue", d.logPValue() / Math.log(10));
      wm.put("alpha", alpha);
      wm.put("units", d.units());
      wm.put("green", d.green());
      wm.put("z", d.z());
      Object recorded = r == null ? null : r.manifest()
          .map(m -> m.watermark().get("keyId")).orElse(null);
      if (recorded != null && !recorded.equals(k.keyId())) {
        wm.put("note", "the manifest records watermark key " + recorded + ", not " + k.keyId());
      }
    }
    if (json) {
      out.println(Json.writePretty(toJson(data, r, wm, ok)));
    } else {
      out.println("verify " + data.getFileName());
      if (r == null) {
        out.println("  no manifest beside the file: only the watermark is checked");
      } else {
        for (VerificationResult.Finding f : r.findings()) {
          out.printf(Locale.ROOT, "  %-7s %-17s %s: %s%n", f.severity(), f.kind(), f.subject(),
              f.message());
        }
      }
      if (wm != null) {
        out.printf(Locale.ROOT, "  watermark %s: p = %s (%d of %d units green, z = %.1f; "
            + "key %s, threshold %.3g)%n", (Boolean) wm.get("detected") ? "PRESENT"
            : "NOT DETECTED", pText(d(wm, "log10PValue")), (Long) wm.get("green"),
            (Long) wm.get("units"), d(wm, "z"), wm.get("keyId"), alpha);
        if (wm.containsKey("note")) {
          out.println("  note: " + wm.get("note"));
        }
      }
      int errors = r == null ? 0 : r.errors().size();
      if (wm != null && !(Boolean) wm.get("detected")) {
        errors++;
      }
      out.println(ok ? "OK" : "FAILED: " + errors + " problem(s)");
    }
    out.flush();
    return ok ? Main.OK : Main.CHECK_FAILED;
  }

  /** A p-value for people: 3 digits, or a power of ten below what a double holds. */
  static String pText(double log10P) {
    return log10P > -300 ? String.format(Locale.ROOT, "%.3g", Math.pow(10, log10P))
        : String.format(Locale.ROOT, "~1e%.0f", Math.floor(log10P));
  }

  private static double d(Map<String, Object> m, String k) {
    return ((Number) m.get(k)).doubleValue();
  }

  /** The public keys to trust: --public-key, else the key directory's, else none. */
  private List<PublicKey> trusted() {
    if (publicKey != null) {
      return List.of(Keys.loadPublic(publicKey));
    }
    Path pub = keys.dir().resolve(Keys.PUBLIC_FILE);
    return Files.exists(pub) ? List.of(Keys.loadPublic(pub)) : List.of();
  }

  private static Map<String, Object> toJson(Path data, VerificationResult r,
      Map<String, Object> wm, boolean ok) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("output", data.toString());
    m.put("ok", ok);
    if (r != null) {
      m.put("manifest", r.manifestFile().toString());
      m.put("signedBy", r.keyId());
      m.put("datasetId", r.manifest().map(x -> (Object) x.id()).orElse(null));
      List<Object> fs = new ArrayList<>();
      for (VerificationResult.Finding f : r.findings()) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("severity", f.severity().name());
        e.put("kind", f.kind().name());
        e.put("subject", f.subject());
        e.put("message", f.message());
        fs.add(e);
      }
      m.put("findings", fs);
    }
    if (wm != null) {
      m.put("watermark", wm);
    }
    return m;
  }
}
