package dev.ersatz.provenance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link Verifier#verify}: every check that failed or could not run, each named.
 *
 * @param output the output file checked
 * @param manifestFile its manifest file
 * @param keyId the key id that signed the manifest, "" when unknown
 * @param manifest the parsed manifest, absent when it could not be read
 * @param findings what was found, errors first
 */
public record VerificationResult(Path output, Path manifestFile, String keyId,
    Optional<Manifest> manifest, List<Finding> findings) {

  public VerificationResult {
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(manifestFile, "manifestFile");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(manifest, "manifest");
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort((a, b) -> a.severity().compareTo(b.severity()));
    findings = List.copyOf(sorted);
  }

  /** How serious a finding is. */
  public enum Severity { ERROR, WARNING, INFO }

  /** What kind of change or problem a finding names. */
  public enum Kind {
    /** No manifest beside the output. */
    MANIFEST_MISSING,
    /** The manifest is not valid JSON or not a manifest of a known version. */
    MANIFEST_MALFORMED,
    /** The manifest's content no longer matches its signature: it was edited after signing. */
    MANIFEST_EDITED,
    /** The signature is valid but made by a key that is not the trusted one. */
    UNTRUSTED_KEY,
    /** No trusted key was given, so the signer's identity was not checked. */
    KEY_NOT_CHECKED,
    /** An output file's bytes differ from the recorded hash. */
    OUTPUT_CHANGED,
    /** An output file recorded in the manifest is missing. */
    OUTPUT_MISSING,
    /** The model file at the recorded path differs from the recorded hash. */
    MODEL_CHANGED,
    /** The model file is not at its recorded path, so it was not checked. */
    MODEL_NOT_FOUND,
    /** A check passed (listed for the report). */
    PASSED
  }

  /**
   * One finding.
   *
   * @param severity how serious
   * @param kind what kind
   * @param subject the file or field concerned
   * @param message what exactly was found, with expected and actual values
   */
  public record Finding(Severity severity, Kind kind, String subject, String message) {
    public Finding {
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(message, "message");
    }
  }

  /** True when no finding is an error. */
  public boolean ok() {
    return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
  }

  /** Whether a finding of {@code kind} is present. */
  public boolean has(Kind kind) {
    return findings.stream().anyMatch(f -> f.kind() == kind);
  }

  /** The findings that are errors. */
  public List<Finding> errors() {
    return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
  }

  /** A human-readable report, one finding per line, ending with OK or FAILED. */
  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append("verify ").append(output.getFileName()).append('\n');
    for (Finding f : findings) {
      sb.append(String.format(Locale.ROOT, "  %-7s %-17s %s: %s%n", f.severity(), f.kind(),
          f.subject(), f.message()));
    }
    sb.append(ok() ? "OK" : "FAILED: " + errors().size() + " problem(s)").append('\n');
    return sb.toString();
  }
}
