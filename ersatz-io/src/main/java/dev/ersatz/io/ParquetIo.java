package dev.ersatz.io;

import dev.ersatz.core.ErsatzException;
import java.nio.file.Path;

/** Reads Parquet through DuckDB. (Work in progress.) */
final class ParquetIo {
  private ParquetIo() {}

  static TableReader.Raw read(Path file, int maxRows) {
    throw new ErsatzException("Parquet input is not implemented yet");
  }
}
