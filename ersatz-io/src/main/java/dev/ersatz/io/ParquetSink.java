package dev.ersatz.io;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.Table;
import java.nio.file.Path;

/** Writes Parquet through DuckDB. (Work in progress.) */
final class ParquetSink implements TableSink {
  ParquetSink(Path target, Schema schema) {
    throw new ErsatzException("Parquet output is not implemented yet");
  }

  @Override
  public Object encode(Table batch) {
    return batch;
  }

  @Override
  public void write(Object encoded) {}

  @Override
  public void commit() {}

  @Override
  public void close() {}
}
