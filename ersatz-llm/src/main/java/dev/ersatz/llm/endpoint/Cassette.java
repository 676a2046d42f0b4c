package dev.ersatz.llm.endpoint;

import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Record/replay of model calls: an append-only JSONL file of final HTTP outcomes keyed by the
 * SHA-256 of (request id, method, URL path, body). Host, port and headers (so API keys) are not
 * part of the key and never stored, so a run recorded against one server replays offline.
 *
 * <p>Modes: {@code RECORD} calls the server and appends every outcome; {@code REPLAY} never calls
 * the server and fails on a request it has no recording for; {@code AUTO} replays what it has and
 * records the rest (which is what makes a resumed run repeat the calls it already paid for).
 */
public final class Cassette {
  /** How the cassette is used. */
  public enum Mode { RECORD, REPLAY, AUTO }

  /** One recorded outcome: an HTTP status and body, or a transport error. */
  public record Entry(String key, String requestId, int status, String body, String error) {}

  private final Path file;
  private final Mode mode;
  private final Map<String, Entry> entries = new HashMap<>();

  private Cassette(Path file, Mode mode) {
    this.file = file;
    this.mode = mode;
  }

  /**
   * Opens a cassette file, loading existing recordings.
   *
   * @param file the JSONL file (created when recording)
   * @param mode how to use it
   * @return the cassette
   * @throws UserInputException when replaying a missing file or a line is corrupt
   */
  public static Cassette open(Path file, Mode mode) {
    Cassette c = new Cassette(file, mode);
    if (Files.exists(file)) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (line.isBlank()) {
            continue;
          }
          Map<String, Object> m;
          try {
            m = Json.parseObject(line).raw();
          } catch (RuntimeException e) {
            if (i == lines.size() - 1) {
              // a torn last line from a killed run: drop it, the call will be made again
              c.truncateTornTail(lines);
              break;
            }
            throw new UserInputException(file + ": line " + (i + 1) + " is not valid JSON; the cassette is corrupt");
          }
          Entry e = new Entry((String) m.get("key"), (String) m.get("requestId"),
              m.get("status") == null ? 0 : ((Number) m.get("status")).intValue(),
              (String) m.get("body"), (String) m.get("error"));
          c.entries.put(e.key(), e);
        }
      } catch (IOException e) {
        throw new UserInputException("cannot read cassette " + file + ": " + e.getMessage(), e);
      }
    } else if (mode == Mode.REPLAY) {
      throw new UserInputException("cassette " + file + " does not exist; record a run first (mode RECORD or AUTO)");
    }
    return c;
  }

  private void truncateTornTail(List<String> lines) throws IOException {
    if (mode == Mode.REPLAY) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.size() - 1; i++) {
      sb.append(lines.get(i)).append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** @return the mode */
  public Mode mode() {
    return mode;
  }

  /** @return number of recordings */
  public synchronized int size() {
    return entries.size();
  }

  /**
   * The key of a request.
   *
   * @param requestId the pipeline's request id
   * @param method HTTP method
   * @param path URL path (no host or port)
   * @param body request body
   * @return hex SHA-256
   */
  public static String key(String requestId, String method, String path, String body) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update((requestId + "\n" + method + " " + path + "\n" + body).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new ErsatzException("SHA-256 unavailable", e);
    }
  }

  /**
   * Looks a request up.
   *
   * @param key the request key
   * @return the entry or null when not recorded
   */
  synchronized Entry lookup(String key) {
    return mode == Mode.RECORD ? null : entries.get(key);
  }

  /**
   * Appends an outcome and forces it to disk.
   *
   * @param e the outcome
   */
  synchronized void record(Entry e) {
    if (mode == Mode.REPLAY) {
      return;
    }
    entries.put(e.key(), e);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", e.key());
    m.put("requestId", e.requestId());
    if (e.error() != null) {
      m.put("error", e.error());
    } else {
      m.put("status", e.status());
      m.put("body", e.body());
    }
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ch.write(ByteBuffer.wrap((Json.write(m) + "\n").getBytes(StandardCharsets.UTF_8)));
        ch.force(false);
      }
    } catch (IOException ex) {
      throw new ErsatzException("cannot append to cassette " + file + ": " + ex.getMessage(), ex);
    }
  }
}
