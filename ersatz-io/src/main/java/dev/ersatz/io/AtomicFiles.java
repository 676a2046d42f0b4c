package dev.ersatz.io;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes files so that a reader never sees a half-written target: the bytes go to a temporary
 * file in the target's directory, are forced to disk, and the temporary file is renamed over the
 * target (atomically where the file system allows).
 */
public final class AtomicFiles {
  private static final AtomicLong COUNTER = new AtomicLong();

  private AtomicFiles() {}

  /**
   * The directory a new file {@code target} goes into, checked to exist.
   *
   * @throws UserInputException naming the directory when it does not exist or is not a directory
   */
  public static Path requireParent(Path target) {
    Path abs = target.toAbsolutePath();
    Path parent = abs.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new UserInputException("cannot write " + target + ": the folder " + parent
          + " does not exist; create it first or choose another output path");
    }
    if (Files.isDirectory(abs)) {
      throw new UserInputException("cannot write " + target
          + ": it is a folder; give a file name such as " + target.resolve("out.csv"));
    }
    return parent;
  }

  /**
   * A fresh, not yet existing path for a temporary file beside {@code target} (same directory, so
   * the final rename stays on one file system). The name starts with a dot and ends in
   * {@code .tmp}.
   */
  public static Path tempPath(Path target) {
    Path parent = requireParent(target);
    String name = target.getFileName().toString();
    long n = COUNTER.incrementAndGet();
    String tag = Long.toHexString(ProcessHandle.current().pid()) + "-" + Long.toHexString(n)
        + "-" + Long.toHexString(System.nanoTime() & 0xffffffL);
    return parent.resolve("." + name + "." + tag + ".tmp");
  }

  /** Opens a new temporary file beside {@code target} for writing. */
  public static OutputStream create(Path temp) {
    try {
      return Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new ErsatzException("cannot create " + temp + ": " + e.getMessage(), e);
    }
  }

  /**
   * Forces {@code temp} to disk and renames it to {@code target}, replacing any existing file.
   * Uses an atomic move and falls back to a plain replacing move where the file system cannot.
   */
  public static void commit(Path temp, Path target) {
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new ErsatzException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code bytes} to {@code target} atomically. */
  public static void write(Path target, byte[] bytes) {
    Path temp = tempPath(target);
    try (OutputStream out = create(temp)) {
      out.write(bytes);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new ErsatzException("cannot write " + target + ": " + e.getMessage(), e);
    }
    commit(temp, target);
  }

  /** Writes {@code text} as UTF-8 to {@code target} atomically. */
  public static void writeString(Path target, String text) {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A file being written beside its target: bytes go to a temporary file, {@link #commit}
   * closes it and renames it over the target, and {@link #close} without a commit deletes it.
   * What every sink's output goes through; a write error names the target.
   */
  static final class Pending implements ByteOutput {
    private final Path target;
    private final Path temp;
    private final OutputStream out;
    private boolean committed;
    private boolean closed;

    /** Opens the temporary file; {@code buffer} bytes of buffering, or 0 for none. */
    Pending(Path target, int buffer) {
      this.target = target;
      this.temp = tempPath(target);
      OutputStream raw = create(temp);
      this.out = buffer > 0 ? new java.io.BufferedOutputStream(raw, buffer) : raw;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    /** Closes the temporary file and renames it over the target (once). */
    @Override
    public void commit() {
      if (committed) {
        return;
      }
      try {
        out.close();
      } catch (IOException e) {
        throw failure(e);
      }
      closed = true;
      AtomicFiles.commit(temp, target);
      committed = true;
    }

    /** Closes the stream; without a commit, deletes the temporary file. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        try {
          out.close();
        } catch (IOException e) {
          // on the failure path; the temporary file is deleted below
        }
      }
      if (!committed) {
        deleteQuietly(temp);
      }
    }

    @Override
    public boolean committed() {
      return committed;
    }

    private ErsatzException failure(IOException e) {
      return new ErsatzException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Deletes {@code p} if it exists, ignoring failures (used on error paths). */
  public static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort on an error path: the original failure matters more
    }
  }
}
