package dev.ersatz.io;

import dev.ersatz.core.ErsatzException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Where a text sink's bytes go: a file written beside its target and renamed on {@link #commit}
 * ({@link AtomicFiles.Pending}), or a stream written as it goes ({@link #of(OutputStream,
 * String)}, for {@code sample -o -}). Also the one place gzip members are made.
 */
interface ByteOutput extends AutoCloseable {

  void write(byte[] b, int off, int len);

  default void write(byte[] b) {
    write(b, 0, b.length);
  }

  /**
   * Writes a sink's first bytes (a header, an opening bracket) from its constructor: on failure
   * closes this output (no sink is returned for the caller to close, so a temporary file would
   * be left behind) and rethrows.
   */
  default void writeOrClose(byte[] b) {
    try {
      write(b);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Finishes the output: renames a file over its target, flushes a stream (once). */
  void commit();

  boolean committed();

  /** Without a commit, deletes a file's temporary copy; a stream is left open. */
  @Override
  void close();

  /** A file written atomically. */
  static ByteOutput file(Path target) {
    return new AtomicFiles.Pending(target, 0);
  }

  /**
   * A stream written as it goes: no temporary file, so a failed run leaves what was written;
   * {@link #commit} flushes and {@link #close} leaves the stream open (it is the caller's).
   *
   * @param where how messages name the stream ("standard output")
   */
  static ByteOutput of(OutputStream stream, String where) {
    return new ByteOutput() {
      private boolean committed;

      @Override
      public void write(byte[] b, int off, int len) {
        try {
          stream.write(b, off, len);
        } catch (IOException e) {
          throw new ErsatzException("cannot write " + where + ": " + e.getMessage(), e);
        }
      }

      @Override
      public void commit() {
        if (committed) {
          return;
        }
        try {
          stream.flush();
        } catch (IOException e) {
          throw new ErsatzException("cannot write " + where + ": " + e.getMessage(), e);
        }
        committed = true;
      }

      @Override
      public boolean committed() {
        return committed;
      }

      @Override
      public void close() {
        // the stream is the caller's
      }
    };
  }

  /**
   * {@code [0, len)} of {@code buf} as one gzip member (level 1). A gzip file may hold several
   * members, and gzip, Python, pandas, DuckDB and Java's {@link java.util.zip.GZIPInputStream}
   * read them as one stream; so each batch is compressed on its encoding thread, off the single
   * writing thread.
   */
  static byte[] gzipMember(byte[] buf, int len) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream(len / 3 + 64);
    try (GZIPOutputStream gz = new FastGzip(bos)) {
      gz.write(buf, 0, len);
    } catch (IOException e) {
      throw new ErsatzException("cannot compress output: " + e.getMessage(), e);
    }
    return bos.toByteArray();
  }

  /** A gzip stream at compression level 1 (the header's mtime is 0, so output is repeatable). */
  final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
