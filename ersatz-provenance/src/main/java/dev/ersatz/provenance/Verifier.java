package dev.ersatz.provenance;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.provenance.VerificationResult.Finding;
import dev.ersatz.provenance.VerificationResult.Kind;
import dev.ersatz.provenance.VerificationResult.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks an output against its signed manifest: the signature, the signer, every output file's
 * hash and the model file's hash (when the model is at its recorded path). It names each change:
 * a changed byte range in an output, an edited manifest, a swapped model, an untrusted key.
 */
public final class Verifier {
  private Verifier() {}

  /**
   * Verifies {@code output}, trusting the public key in {@link Keys#defaultDir()} if there is
   * one (otherwise the signer is reported as not checked).
   */
  public static VerificationResult verify(Path output) {
    Path pub = Keys.defaultDir().resolve(Keys.PUBLIC_FILE);
    return verify(output, Files.exists(pub) ? List.of(Keys.loadPublic(pub)) : List.of());
  }

  /** Verifies {@code output} trusting only {@code trusted}. */
  public static VerificationResult verify(Path output, PublicKey trusted) {
    return verify(output, List.of(trusted));
  }

  /**
   * Verifies {@code output} (or its manifest) against its manifest.
   *
   * @param output the output file, or its {@code .manifest.json}
   * @param trusted public keys allowed to sign; empty to check only that the signature matches
   *     the key embedded in the manifest
   * @return every finding; never throws for a tampered or missing file
   */
  public static VerificationResult verify(Path output, List<PublicKey> trusted) {
    Path mf = Manifests.manifestPath(output);
    Path out = output;
    String name = output.getFileName().toString();
    if (name.endsWith(Manifests.SUFFIX)) {
      out = output.resolveSibling(name.substring(0, name.length() - Manifests.SUFFIX.length()));
    }
    List<Finding> f = new ArrayList<>();
    if (!Files.exists(mf)) {
      f.add(new Finding(Severity.ERROR, Kind.MANIFEST_MISSING, mf.getFileName().toString(),
          "no manifest beside the output; it cannot be verified"));
      return new VerificationResult(out, mf, "", Optional.empty(), f);
    }
    JsonMap env;
    Manifest manifest;
    try {
      env = Manifests.readEnvelope(mf);
      manifest = Manifest.fromJson(env.obj("manifest"));
    } catch (ErsatzException | NullPointerException | IllegalArgumentException e) {
      f.add(new Finding(Severity.ERROR, Kind.MANIFEST_MALFORMED, mf.getFileName().toString(),
          e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return new VerificationResult(out, mf, "", Optional.empty(), f);
    }
    String keyId = checkSignature(env, trusted, mf.getFileName().toString(), f);
    Path base = mf.toAbsolutePath().getParent();
    for (Manifest.OutputFile o : manifest.outputs()) {
      checkOutput(base, o, f);
    }
    if (manifest.model() != null && !manifest.model().path().isEmpty()) {
      checkModel(base, manifest.model(), f);
    }
    return new VerificationResult(out, mf, keyId, Optional.of(manifest), f);
  }

  private static String checkSignature(JsonMap env, List<PublicKey> trusted, String subject,
      List<Finding> f) {
    JsonMap sig;
    PublicKey signer;
    byte[] value;
    try {
      sig = env.obj("signature");
      signer = Keys.publicFromBase64(sig.str("publicKey"));
      value = Base64.getDecoder().decode(sig.str("value"));
    } catch (RuntimeException e) {
      f.add(new Finding(Severity.ERROR, Kind.MANIFEST_EDITED, subject,
          "the signature block is missing or damaged"));
      return "";
    }
    String keyId = Keys.keyId(signer);
    boolean valid;
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(signer);
      // Re-canonicalize the parsed content: the signature covers the canonical JSON, so
      // re-indenting the file is harmless but any change of a value is caught.
      s.update(Manifests.signedBytes(env.obj("manifest").raw()));
      valid = s.verify(value);
    } catch (GeneralSecurityException e) {
      valid = false;
    }
    if (!valid || !keyId.equals(sig.str("keyId", ""))) {
      f.add(new Finding(Severity.ERROR, Kind.MANIFEST_EDITED, subject,
          "the manifest was edited after it was signed: its content does not match the "
              + "Ed25519 signature of key " + keyId));
      return keyId;
    }
    if (trusted.isEmpty()) {
      f.add(new Finding(Severity.WARNING, Kind.KEY_NOT_CHECKED, subject,
          "signature valid for the key embedded in the manifest (" + keyId
              + "), but no trusted public key was given, so the signer is not confirmed"));
    } else if (trusted.stream().noneMatch(k -> Keys.keyId(k).equals(keyId))) {
      List<String> ids = trusted.stream().map(Keys::keyId).toList();
      f.add(new Finding(Severity.ERROR, Kind.UNTRUSTED_KEY, subject,
          "signed by key " + keyId + ", which is not the trusted key " + String.join(", ", ids)
              + ": the manifest was re-signed by someone else or with another key"));
    } else {
      f.add(new Finding(Severity.INFO, Kind.PASSED, subject,
          "signature valid, signed by trusted key " + keyId));
    }
    return keyId;
  }

  private static void checkOutput(Path base, Manifest.OutputFile o, List<Finding> f) {
    Path p = Manifests.resolve(base, o.path());
    if (!Files.exists(p)) {
      f.add(new Finding(Severity.ERROR, Kind.OUTPUT_MISSING, o.path(),
          "the output file is missing (expected " + o.bytes() + " bytes, SHA-256 "
              + o.sha256() + ")"));
      return;
    }
    Hashes.FileDigest d = Hashes.fileDigest(p, o.chunkSize());
    if (d.sha256().equals(o.sha256()) && d.bytes() == o.bytes()) {
      f.add(new Finding(Severity.INFO, Kind.PASSED, o.path(),
          "SHA-256 matches (" + o.bytes() + " bytes)"));
      return;
    }
    f.add(new Finding(Severity.ERROR, Kind.OUTPUT_CHANGED, o.path(),
        "content changed: SHA-256 is " + d.sha256() + " but the manifest recorded "
            + o.sha256() + "; " + describeChange(o, d, p)));
  }

  /** Names the byte ranges (and first line) that differ, from the chunk hashes. */
  static String describeChange(Manifest.OutputFile o, Hashes.FileDigest d, Path p) {
    StringBuilder sb = new StringBuilder();
    if (d.bytes() != o.bytes()) {
      sb.append(String.format(Locale.ROOT, "size changed from %d to %d bytes (%+d); ",
          o.bytes(), d.bytes(), d.bytes() - o.bytes()));
    } else {
      sb.append("same size (").append(o.bytes()).append(" bytes), bytes edited in place; ");
    }
    List<String> ranges = new ArrayList<>();
    int n = Math.max(o.chunks().size(), d.chunks().size());
    long firstChanged = -1;
    for (int i = 0; i < n && ranges.size() < 8; i++) {
      String a = i < o.chunks().size() ? o.chunks().get(i) : "";
      String b = i < d.chunks().size() ? d.chunks().get(i) : "";
      if (!a.equals(b)) {
        long from = i * o.chunkSize();
        long to = Math.min((i + 1) * o.chunkSize(), Math.max(o.bytes(), d.bytes()));
        ranges.add("[" + from + ", " + to + ")");
        if (firstChanged < 0) {
          firstChanged = from;
        }
      }
    }
    sb.append("changed byte range(s) ").append(String.join(" ", ranges));
    if (firstChanged >= 0) {
      long line = lineAt(p, firstChanged);
      if (line > 0) {
        sb.append(" (the first starts at line ").append(line).append(')');
      }
    }
    return sb.toString();
  }

  private static long lineAt(Path p, long offset) {
    try (var in = Files.newInputStream(p)) {
      long line = 1;
      byte[] buf = new byte[64 * 1024];
      long pos = 0;
      int r;
      while (pos < offset && (r = in.read(buf, 0, (int) Math.min(buf.length, offset - pos))) > 0) {
        for (int i = 0; i < r; i++) {
          if (buf[i] == '\n') {
            line++;
          }
        }
        pos += r;
      }
      return line;
    } catch (IOException e) {
      return -1;
    }
  }

  private static void checkModel(Path base, Manifest.ModelRef m, List<Finding> f) {
    Path p = Manifests.resolve(base, m.path());
    if (!Files.exists(p)) {
      f.add(new Finding(Severity.INFO, Kind.MODEL_NOT_FOUND, m.path(),
          "model file not at its recorded path; its hash was not checked"));
      return;
    }
    String sha = Hashes.sha256(p);
    if (sha.equals(m.sha256())) {
      f.add(new Finding(Severity.INFO, Kind.PASSED, m.path(), "model SHA-256 matches"));
    } else {
      f.add(new Finding(Severity.ERROR, Kind.MODEL_CHANGED, m.path(),
          "the model file was swapped or modified: SHA-256 is " + sha
              + " but the output was sampled from model " + m.id() + " with SHA-256 "
              + m.sha256()));
    }
  }

  static String canonical(Object v) {
    return Json.write(v);
  }
}
