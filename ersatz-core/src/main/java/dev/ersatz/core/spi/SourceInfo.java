package dev.ersatz.core.spi;

import java.util.Objects;

/**
 * The fingerprint of a training source, as recorded in provenance. Holds hashes, never data.
 *
 * @param name the file name (no directory), or a label
 * @param sha256 SHA-256 of the source bytes, hex; empty when unknown
 * @param schemaSha256 SHA-256 of the canonical schema JSON, hex; empty when unknown
 * @param rows number of data rows
 */
public record SourceInfo(String name, String sha256, String schemaSha256, long rows) {
  public static final SourceInfo UNKNOWN = new SourceInfo("", "", "", 0);

  public SourceInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(schemaSha256, "schemaSha256");
  }
}
