package dev.ersatz.io;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import dev.ersatz.core.ErsatzException;
import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.SourceInfo;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a table from a file: CSV ({@code .csv}, {@code .tsv}, {@code .txt}, optionally gzipped,
 * detected by the gzip magic bytes), Parquet ({@code .parquet}) or JSON ({@code .json},
 * {@code .jsonl}, {@code .ndjson}, optionally {@code .gz}: an array of records or one record
 * per line, read through DuckDB as Parquet is). Every cell is read as a
 * string, then each column's type is inferred by {@link TypeInference} (or taken from a
 * metadata file), then the cells are converted.
 *
 * <p>CSV: strict UTF-8 with an optional byte-order mark, a header row, quote character
 * {@code "} (RFC 4180). The delimiter is sniffed from the first 50 records: the first of
 * {@code , ; TAB |} that gives every record the same number (more than one) of fields ({@code
 * .tsv} files always use TAB). In a semicolon-delimited file, a column of numbers written with
 * decimal commas ({@code 12,5}, as spreadsheets in much of Europe export) is read as numbers
 * ({@link #decimalCommas}). Parquet is read through DuckDB; its column types guide inference
 * (BOOLEAN is boolean, DATE and TIMESTAMP are dates with ISO patterns, DOUBLE and DECIMAL are
 * decimals), and a schema stored by Ersatz's own Parquet sink is restored exactly.
 */
public final class TableReader {
  private static final Logger LOG = LoggerFactory.getLogger(TableReader.class);
  private static final char[] DELIMITERS = {',', ';', '\t', '|'};
  private static final int SNIFF_RECORDS = 50;
  private static final int SNIFF_CHARS = 1 << 20;

  private TableReader() {}

  /**
   * Whether a (lower-case) file name is JSON: {@code .json}, {@code .jsonl} or {@code .ndjson},
   * each also gzipped.
   */
  static boolean isJson(String lower) {
    String n = lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower;
    return n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".ndjson");
  }

  /**
   * Reads {@code file}.
   *
   * @param file a CSV, Parquet or JSON file
   * @param opts metadata overrides and a row limit
   * @return the typed table, its fingerprint and warnings about the inferred schema
   * @throws UserInputException when the file is missing, empty, has no data rows, has ragged
   *     rows, duplicate or empty header names, is not UTF-8, or does not fit the metadata; the
   *     message names file, line and column and says how to fix it
   */
  public static ReadResult read(Path file, ReadOptions opts) {
    if (opts == null) {
      opts = ReadOptions.defaults();
    }
    if (!Files.exists(file)) {
      throw new UserInputException("file not found: " + file + "; check the path");
    }
    if (!Files.isRegularFile(file)) {
      throw new UserInputException(file + " is not a file; give the path of a CSV, Parquet or JSON file");
    }
    String label = file.getFileName().toString();
    String lower = label.toLowerCase(Locale.ROOT);
    Raw raw = lower.endsWith(".parquet") ? DuckDbReader.parquet(file, opts.maxRows())
        : isJson(lower) ? DuckDbReader.json(file, opts.maxRows())
        : readCsv(file, label, opts.maxRows());
    Metadata md = opts.metadata() == null ? null : Metadata.read(opts.metadata());
    Map<String, JsonMap> overrides = new HashMap<>();
    if (raw.embeddedSchema != null) {
      for (JsonMap c : raw.embeddedSchema) {
        overrides.put(c.str("name"), c);
      }
    }
    if (md != null) {
      Set<String> unknown = new LinkedHashSet<>(md.columnNames());
      unknown.removeAll(raw.header);
      if (!unknown.isEmpty()) {
        throw new UserInputException("metadata file " + opts.metadata().getFileName()
            + " names columns that " + label + " does not have: " + unknown
            + "; the columns of " + label + " are " + raw.header
            + ". Fix the names or remove those entries");
      }
      if (md.target() != null && !raw.header.contains(md.target())) {
        throw new UserInputException("metadata file " + opts.metadata().getFileName()
            + " names the target '" + md.target() + "', which " + label + " does not have; the "
            + "columns of " + label + " are " + raw.header + ". Fix the name or remove "
            + "\"target\"");
      }
      for (String n : md.columnNames()) {
        overrides.put(n, md.spec(n));
      }
    }
    List<Column> cols = new ArrayList<>();
    List<ColumnData> data = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (int c = 0; c < raw.header.size(); c++) {
      String name = raw.header.get(c);
      String[] values = raw.cells[c];
      JsonMap spec = overrides.get(name);
      String hint = raw.hints == null ? null : raw.hints[c];
      if (raw.decimalCommas != null && raw.decimalCommas[c]
          && (spec == null || NUMBER_KINDS.contains(spec.str("type", "")))) {
        values = withPoints(values, raw.rows);
      }
      TypeInference.Result res;
      if (spec != null) {
        res = declared(name, spec, values, raw, label);
      } else if (hint != null) {
        res = hinted(name, hint, values, raw, label);
      } else {
        res = TypeInference.infer(name, values, raw.rows);
      }
      cols.add(res.column());
      data.add(res.data());
      warnings.addAll(res.warnings());
      raw.cells[c] = null; // let the strings go as soon as the column is typed
    }
    Schema schema = Schema.of(cols);
    Table table = Table.of(schema, data);
    SourceInfo source = new SourceInfo(label, Fingerprints.sha256(file),
        Fingerprints.schemaSha256(schema), table.rowCount());
    LOG.debug("read {}: {} rows, {} columns", label, table.rowCount(), schema.size());
    return new ReadResult(table, source, warnings);
  }

  /** A column whose type is declared by a metadata entry or an embedded schema. */
  private static TypeInference.Result declared(String name, JsonMap spec, String[] values, Raw raw,
      String label) {
    String kind;
    try {
      kind = spec.str("type");
    } catch (dev.ersatz.core.json.Json.JsonException e) {
      throw new UserInputException("metadata for column '" + name + "': " + e.getMessage());
    }
    String hint = raw.hints == null ? null : raw.hints[raw.header.indexOf(name)];
    String parseAs = null;
    if (hint != null && hint.startsWith("pattern:")
        && (kind.equals("date") || kind.equals("datetime"))) {
      // typed source: the cells are ISO text, whatever pattern the column prints with
      parseAs = hint.substring("pattern:".length());
    }
    if ("boolean".equals(hint) && kind.equals("boolean") && spec.has("true")
        && spec.has("false")) {
      // typed source: the cells are true/false, whatever spelling the column prints with
      String tt = spec.str("true");
      String ff = spec.str("false");
      values = values.clone();
      for (int r = 0; r < raw.rows; r++) {
        values[r] = "true".equals(values[r]) ? tt : "false".equals(values[r]) ? ff : values[r];
      }
    }
    if (kind.equals(SdvMetadata.NUMBER) || kind.equals(SdvMetadata.MOMENT)) {
      // an SDV file's numerical or datetime column: the values choose between two types
      kind = kind.equals(SdvMetadata.NUMBER) ? TypeInference.numberKind(values, raw.rows)
          : TypeInference.momentKind(values, raw.rows);
    } else if (spec.has(SdvMetadata.LENIENT) && parseAs == null) {
      // an SDV datetime_format (strftime reads 1/5/2020 with %m/%d/%Y): the pattern is
      // inferred when the values are not all written as translated
      Column col = TypeInference.complete(name, kind, spec, values, raw.rows, label);
      try {
        ColumnData d = TypeInference.build(col, values, raw.rows, raw.locator(label), null);
        return new TypeInference.Result(col, d, List.of());
      } catch (UserInputException e) {
        Map<String, Object> inferred = new java.util.LinkedHashMap<>(spec.raw());
        inferred.remove("pattern");
        spec = new JsonMap(inferred, spec.path());
        kind = TypeInference.momentKind(values, raw.rows);
      }
    }
    Column col = TypeInference.complete(name, kind, spec, values, raw.rows, label);
    ColumnData d = TypeInference.build(col, values, raw.rows, raw.locator(label), parseAs);
    return new TypeInference.Result(col, d, List.of());
  }

  /** A Parquet column whose physical type fixes (part of) its logical type. */
  private static TypeInference.Result hinted(String name, String hint, String[] values, Raw raw,
      String label) {
    if (hint.startsWith("pattern:")) {
      String p = hint.substring("pattern:".length());
      DatePattern dp = DatePattern.compile(p);
      Column col = new Column(name, new ColumnType.Datetime(p, dp.dateOnly()), "");
      return new TypeInference.Result(col,
          TypeInference.build(col, values, raw.rows, raw.locator(label), null), List.of());
    }
    if (hint.equals("boolean")) {
      Column col = new Column(name, new ColumnType.Bool("true", "false"), "");
      return new TypeInference.Result(col,
          TypeInference.build(col, values, raw.rows, raw.locator(label), null), List.of());
    }
    TypeInference.Result res = TypeInference.infer(name, values, raw.rows);
    if (hint.equals("decimal") && !(res.column().type() instanceof ColumnType.Numeric n
        && !n.integer())) {
      Column col = TypeInference.complete(name, "decimal",
          new JsonMap(Map.of(), name), values, raw.rows, label);
      return new TypeInference.Result(col,
          TypeInference.build(col, values, raw.rows, raw.locator(label), null), res.warnings());
    }
    return res;
  }

  /** Declared types whose cells a decimal-comma column gives with points. */
  private static final java.util.Set<String> NUMBER_KINDS =
      java.util.Set.of("integer", "decimal");

  /** Cells of a file, column by column, before typing. */
  static final class Raw {
    List<String> header;
    String[][] cells;
    /** Per column, whether it holds decimal commas (semicolon files only; else null). */
    boolean[] decimalCommas;
    int rows;
    /** Starting line of each row in the file, or null (Parquet: rows are counted instead). */
    int[] lines;
    /** Per column: null, "boolean", "decimal", or "pattern:P" (cells are dates in pattern P). */
    String[] hints;
    /** Column objects of a schema embedded in the file, or null. */
    List<JsonMap> embeddedSchema;

    TypeInference.RowLocator locator(String label) {
      if (lines == null) {
        return r -> label + " row " + (r + 1);
      }
      return r -> label + " line " + lines[r];
    }
  }

  // ---------------------------------------------------------------- CSV

  static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(4);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    in.mark(4);
    if (!(in.read() == 0xEF && in.read() == 0xBB && in.read() == 0xBF)) {
      in.reset();
    }
    return in;
  }

  private static BufferedReader utf8(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
  }

  private static UserInputException notUtf8(Path file, String label) {
    long[] at = firstBadUtf8(file);
    String where = at == null ? "" : " (line " + at[0] + ", byte " + at[1] + " of that line)";
    return new UserInputException(label + " is not valid UTF-8" + where + "; re-save the file "
        + "as UTF-8 (e.g. \"CSV UTF-8\" in a spreadsheet program, or iconv -f latin1 -t utf-8) "
        + "and try again");
  }

  /**
   * Line and byte column (both from 1) of the first byte that is not valid UTF-8, or null.
   * Counting raw newline bytes is exact: 0x0A never occurs inside a multi-byte UTF-8 sequence.
   */
  static long[] firstBadUtf8(Path file) {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    byte[] chunk = new byte[1 << 16];
    ByteBuffer bb = ByteBuffer.allocate((1 << 16) + 16);
    CharBuffer cb = CharBuffer.allocate((1 << 16) + 16);
    long line = 1;
    long col = 1;
    try (InputStream in = open(file)) {
      boolean eof = false;
      while (!eof) {
        int n = in.read(chunk, 0, Math.min(chunk.length, bb.remaining()));
        eof = n < 0;
        if (n > 0) {
          bb.put(chunk, 0, n);
        }
        bb.flip();
        int start = bb.position();
        CoderResult r = dec.decode(bb, cb, eof);
        for (int i = start; i < bb.position(); i++) {
          if (bb.get(i) == '\n') {
            line++;
            col = 1;
          } else {
            col++;
          }
        }
        cb.clear();
        if (r.isError()) {
          return new long[] {line, col};
        }
        bb.compact();
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  static Raw readCsv(Path file, String label, int maxRows) {
    try (InputStream in = open(file); BufferedReader reader = utf8(in)) {
      reader.mark(SNIFF_CHARS + 1);
      StringBuilder sample = new StringBuilder();
      boolean eof = false;
      int newlines = 0;
      char[] buf = new char[8192];
      try {
        while (sample.length() < SNIFF_CHARS && newlines <= SNIFF_RECORDS * 2) {
          int n = reader.read(buf, 0, Math.min(buf.length, SNIFF_CHARS - sample.length()));
          if (n < 0) {
            eof = true;
            break;
          }
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
              newlines++;
            }
          }
          sample.append(buf, 0, n);
        }
      } catch (CharacterCodingException e) {
        throw notUtf8(file, label);
      }
      reader.reset();
      if (sample.toString().isBlank()) {
        throw new UserInputException(label + " is empty; a CSV file needs a header row and at "
            + "least one data row");
      }
      char delim = label.toLowerCase(Locale.ROOT).matches(".*\\.tsv(\\.gz)?$") ? '\t'
          : sniff(sample.toString(), eof);
      return parse(reader, file, label, delim, maxRows);
    } catch (IOException e) {
      throw new ErsatzException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether a column holds decimal commas ({@code 12,5}, {@code -1.234,50 €}): every non-empty
   * cell is a number written so ({@link #decimalComma}; surrounding whitespace and null tokens
   * allowed) and at least one has a comma. Asked only of semicolon-delimited files, the form
   * spreadsheets write where the comma is the decimal separator; elsewhere {@code 1,234} may
   * group thousands.
   */
  static boolean decimalCommas(String[] col, int rows) {
    boolean comma = false;
    for (int r = 0; r < rows; r++) {
      String v = col[r] == null ? "" : col[r].strip();
      if (v.isEmpty() || TypeInference.NULL_TOKENS.contains(v)) {
        continue;
      }
      int c = decimalComma(v);
      if (c < 0) {
        return false;
      }
      comma |= c > 0;
    }
    return comma;
  }

  /**
   * The cells of a decimal-comma column ({@link #decimalCommas}) as standard numbers, grouping
   * points dropped and the comma a point ({@code 1.234,5 €} -> {@code 1234.5 €}; a currency
   * sign is then read as any number format), for reading as numbers. Output is standard CSV,
   * so such numbers are written with a point. A column declared as labels in the metadata is
   * not rewritten: it keeps its cells as written.
   */
  static String[] withPoints(String[] col, int rows) {
    String[] out = col.clone();
    for (int r = 0; r < rows; r++) {
      String v = out[r];
      if (v != null && v.indexOf('.') >= 0) {
        v = v.replace(".", "");
      }
      if (v != null && v.indexOf(',') >= 0) {
        v = v.replace(',', '.');
      }
      out[r] = v;
    }
    return out;
  }

  /** Currency signs before, and signs after, a number of a decimal-comma column. */
  private static final List<String> EU_PREFIXES = List.of("$ ", "€ ", "£ ", "$", "€", "£", "¥");
  private static final List<String> EU_SUFFIXES = List.of(" %", " €", "%", "€");

  /**
   * Whether {@code v} is a number as a decimal-comma spreadsheet writes it: -1 if not, 1 with
   * a decimal comma, 0 without. A sign, then optionally a currency sign ({@code -€ 1.234,50});
   * digits, grouped by points in threes or not grouped ({@code 1.234.567}, {@code 1234}); at
   * most one comma followed by digits; optionally {@code %} or {@code €} after.
   */
  private static int decimalComma(String v) {
    int i = v.charAt(0) == '-' || v.charAt(0) == '+' ? 1 : 0;
    boolean signed = i == 1;
    int end = v.length();
    for (String p : EU_PREFIXES) {
      if (v.startsWith(p, i)) {
        i += p.length();
        if (!signed && i < end && v.charAt(i) == '-') {
          i++;
        }
        break;
      }
    }
    for (String sfx : EU_SUFFIXES) {
      if (v.endsWith(sfx) && end - sfx.length() > i) {
        end -= sfx.length();
        break;
      }
    }
    int group = 0;
    int groups = 0;
    boolean grouped = false;
    while (i < end && ((v.charAt(i) >= '0' && v.charAt(i) <= '9') || v.charAt(i) == '.')) {
      char c = v.charAt(i);
      if (c == '.') {
        // a point groups thousands: after one to three digits first, exactly three later
        if (group == 0 || group > 3 || (groups > 0 && group != 3)) {
          return -1;
        }
        grouped = true;
        groups++;
        group = 0;
      } else {
        group++;
      }
      i++;
    }
    if (group == 0 || (grouped && group != 3)) {
      return -1;
    }
    if (i == end) {
      return 0;
    }
    if (v.charAt(i) != ',' || i + 1 == end) {
      return -1;
    }
    for (int j = i + 1; j < end; j++) {
      if (v.charAt(j) < '0' || v.charAt(j) > '9') {
        return -1;
      }
    }
    return 1;
  }

  /** The delimiter that splits the sample's records most consistently. */
  static char sniff(String sample, boolean complete) {
    char best = ',';
    int bestScore = -1;
    for (char d : DELIMITERS) {
      List<Integer> counts = new ArrayList<>();
      try (CsvReader<CsvRecord> r = builder(d).ofCsvRecord(sample)) {
        for (CsvRecord rec : r) {
          counts.add(rec.getFieldCount());
          if (counts.size() > SNIFF_RECORDS) {
            break;
          }
        }
      } catch (CsvParseException | IOException | UncheckedIOException e) {
        continue;
      }
      if (!complete && counts.size() > 1) {
        counts.remove(counts.size() - 1); // the sample may cut the last record
      }
      if (counts.isEmpty() || counts.get(0) < 2) {
        continue;
      }
      int header = counts.get(0);
      int agree = 0;
      for (int c : counts) {
        if (c == header) {
          agree++;
        }
      }
      // all records agree: score by field count; otherwise far behind any consistent choice
      int score = agree == counts.size() ? 1_000_000 + header : agree;
      if (score > bestScore) {
        bestScore = score;
        best = d;
      }
    }
    return best;
  }

  private static CsvReader.CsvReaderBuilder builder(char delim) {
    return CsvReader.builder()
        .fieldSeparator(delim)
        .quoteCharacter('"')
        .skipEmptyLines(true)
        .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
        .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
        .allowUnclosedQuote(false);
  }

  private static Raw parse(BufferedReader reader, Path file, String label, char delim,
      int maxRows) {
    CsvReader<CsvRecord> csv = builder(delim).ofCsvRecord(reader);
    Iterator<CsvRecord> it = csv.iterator();
    long lastLine = 1;
    List<String> header;
    try {
      if (!it.hasNext()) {
        throw new UserInputException(label + " is empty; a CSV file needs a header row and at "
            + "least one data row");
      }
      CsvRecord h = it.next();
      lastLine = h.getStartingLineNumber();
      header = new ArrayList<>(h.getFields());
      checkHeader(header, label, lastLine, delim);
      int n = header.size();
      Raw raw = new Raw();
      raw.header = header;
      int cap = 1024;
      String[][] cells = new String[n][cap];
      int[] lines = new int[cap];
      List<HashMap<String, String>> dedup = new ArrayList<>(n);
      for (int c = 0; c < n; c++) {
        dedup.add(new HashMap<>());
      }
      int rows = 0;
      while ((maxRows == 0 || rows < maxRows) && it.hasNext()) {
        CsvRecord rec = it.next();
        lastLine = rec.getStartingLineNumber();
        if (rec.getFieldCount() != n) {
          if (rec.getFieldCount() == 1 && rec.getField(0).isEmpty()) {
            continue; // a blank line
          }
          throw new UserInputException(label + " line " + lastLine + ": expected " + n
              + " fields (as in the header) but found " + rec.getFieldCount()
              + "; check that values containing '" + printable(delim) + "' are quoted with \" "
              + "and that quotes are closed");
        }
        if (rows == cap) {
          cap = cap * 2;
          for (int c = 0; c < n; c++) {
            cells[c] = Arrays.copyOf(cells[c], cap);
          }
          lines = Arrays.copyOf(lines, cap);
        }
        for (int c = 0; c < n; c++) {
          String v = rec.getField(c);
          HashMap<String, String> dd = dedup.get(c);
          String same = dd.get(v);
          if (same != null) {
            v = same;
          } else if (dd.size() < 4096) {
            dd.put(v, v);
          }
          cells[c][rows] = v;
        }
        lines[rows] = (int) Math.min(Integer.MAX_VALUE, lastLine);
        rows++;
      }
      if (rows == 0) {
        throw new UserInputException(label + " has a header but no data rows; add at least "
            + "one row of data below the header");
      }
      if (delim == ';') {
        raw.decimalCommas = new boolean[n];
        for (int c = 0; c < n; c++) {
          raw.decimalCommas[c] = decimalCommas(cells[c], rows);
        }
      }
      raw.cells = cells;
      raw.rows = rows;
      raw.lines = lines;
      return raw;
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        throw notUtf8(file, label);
      }
      throw new ErsatzException("cannot read " + label + ": " + e.getCause().getMessage(), e);
    } catch (CsvParseException e) {
      Throwable c = e.getCause();
      while (c != null && !(c instanceof CharacterCodingException)) {
        c = c.getCause();
      }
      if (c != null) {
        throw notUtf8(file, label);
      }
      throw new UserInputException(label + " is not valid CSV after line " + lastLine + " ("
          + e.getMessage() + "); check for an unclosed quote");
    }
  }

  private static String printable(char d) {
    return d == '\t' ? "TAB" : String.valueOf(d);
  }

  private static void checkHeader(List<String> header, String label, long line, char delim) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i);
      if (h.isBlank()) {
        throw new UserInputException(label + " line " + line + ", column " + (i + 1)
            + ": the header name is empty; give every column a name in the header row");
      }
      Integer prev = seen.put(h, i);
      if (prev != null) {
        throw new UserInputException(label + " line " + line + ": the column name '" + h
            + "' appears twice (columns " + (prev + 1) + " and " + (i + 1)
            + "); give every column a unique name in the header row");
      }
    }
  }
}
