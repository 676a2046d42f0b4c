package dev.ersatz.io;

import dev.ersatz.core.schema.ColumnType;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A compiled date/time pattern that parses text to epoch seconds (UTC) and formats epoch seconds
 * back. Patterns made only of fixed-width fields ({@code yyyy MM dd HH mm ss SSS}) and literals
 * use a hand-written parser and formatter (strict: exact widths, real calendar dates); any other
 * {@link DateTimeFormatter} pattern falls back to {@code java.time} with
 * {@link ResolverStyle#STRICT} and {@link Locale#ENGLISH} (month names: {@code Sep}, {@code
 * September}; the root locale has no full names). A pattern with time fields and no date field
 * ({@code HH:mm}) reads a time of day as that time on 1970-01-01, i.e. seconds since midnight,
 * and writes the time of day of any value. Immutable and thread-safe.
 */
final class DatePattern {
  private static final int LIT = 0;
  private static final int YEAR = 1;
  private static final int MONTH = 2;
  private static final int DAY = 3;
  private static final int HOUR = 4;
  private static final int MINUTE = 5;
  private static final int SECOND = 6;
  private static final int MILLI = 7;
  private static final int[] WIDTH = {1, 4, 2, 2, 2, 2, 2, 3};

  private final String pattern;
  private final DateTimeFormatter formatter;
  private final boolean dateOnly;
  /** No date field: a time of day, parsed as on 1970-01-01. */
  private final boolean timeOnly;
  private final boolean hasMillis;
  /** Fast path: field kinds and literal chars, or null when the pattern needs java.time. */
  private final int[] kinds;
  private final char[] lits;
  private final int width;

  private DatePattern(String pattern) {
    this.pattern = pattern;
    this.formatter = DateTimeFormatter.ofPattern(strict(pattern), Locale.ENGLISH)
        .withResolverStyle(ResolverStyle.STRICT);
    this.dateOnly = !hasTimeLetters(pattern);
    this.timeOnly = !dateOnly && ColumnType.Datetime.timeOnly(pattern);
    List<int[]> parts = tokenize(pattern);
    if (parts == null) {
      kinds = null;
      lits = null;
      width = 0;
      hasMillis = pattern.contains("S");
    } else {
      kinds = new int[parts.size()];
      lits = new char[parts.size()];
      int w = 0;
      boolean ms = false;
      for (int i = 0; i < kinds.length; i++) {
        kinds[i] = parts.get(i)[0];
        lits[i] = (char) parts.get(i)[1];
        w += WIDTH[kinds[i]];
        ms |= kinds[i] == MILLI;
      }
      width = w;
      hasMillis = ms;
    }
    // Fail now on patterns java.time rejects or cannot format a date with.
    formatter.format(LocalDateTime.of(2000, 1, 2, 3, 4, 5).atOffset(ZoneOffset.UTC));
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException when it is not a valid {@link DateTimeFormatter} pattern or
   *     lacks the fields of a date
   */
  static DatePattern compile(String pattern) {
    try {
      return new DatePattern(pattern);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  String pattern() {
    return pattern;
  }

  boolean dateOnly() {
    return dateOnly;
  }

  /** Epoch seconds (UTC) of {@code s}, or {@code NaN} when it does not match the pattern. */
  double parse(String s) {
    if (kinds != null) {
      return parseFast(s);
    }
    try {
      TemporalAccessor t = formatter.parse(s);
      if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
        return Instant.from(t).getEpochSecond() + t.getLong(ChronoField.NANO_OF_SECOND) / 1e9;
      }
      LocalDate d = timeOnly ? LocalDate.EPOCH : LocalDate.from(t);
      LocalTime time = t.isSupported(ChronoField.HOUR_OF_DAY) ? LocalTime.from(t) : LocalTime.MIDNIGHT;
      LocalDateTime ldt = LocalDateTime.of(d, time);
      return ldt.toEpochSecond(ZoneOffset.UTC) + ldt.getNano() / 1e9;
    } catch (DateTimeException e) {
      return Double.NaN;
    }
  }

  private double parseFast(String s) {
    if (s.length() != width) {
      return Double.NaN;
    }
    int pos = 0;
    long year = 1970;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int milli = 0;
    for (int i = 0; i < kinds.length; i++) {
      int k = kinds[i];
      if (k == LIT) {
        if (s.charAt(pos) != lits[i]) {
          return Double.NaN;
        }
        pos++;
        continue;
      }
      int w = WIDTH[k];
      int v = 0;
      for (int j = 0; j < w; j++) {
        char c = s.charAt(pos + j);
        if (c < '0' || c > '9') {
          return Double.NaN;
        }
        v = v * 10 + (c - '0');
      }
      pos += w;
      switch (k) {
        case YEAR:
          year = v;
          break;
        case MONTH:
          month = v;
          break;
        case DAY:
          day = v;
          break;
        case HOUR:
          hour = v;
          break;
        case MINUTE:
          minute = v;
          break;
        case SECOND:
          second = v;
          break;
        default:
          milli = v;
          break;
      }
    }
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23
        || minute > 59 || second > 59) {
      return Double.NaN;
    }
    long secs = daysFromCivil(year, month, day) * 86400L + hour * 3600L + minute * 60L + second;
    return milli == 0 ? secs : secs + milli / 1000.0;
  }

  /** Formats epoch seconds into {@code out}; date-only patterns drop the time of day. */
  void format(double epochSeconds, ByteBuf out) {
    long millis;
    if (hasMillis) {
      millis = Math.round(epochSeconds * 1000.0);
    } else {
      millis = Math.round(epochSeconds) * 1000L;
    }
    long secs = Math.floorDiv(millis, 1000L);
    int ms = (int) Math.floorMod(millis, 1000L);
    long days = Math.floorDiv(secs, 86400L);
    int sod = (int) Math.floorMod(secs, 86400L);
    if (kinds != null) {
      long ymd = civilFromDays(days);
      long year = ymd >> 9;
      if (year >= 0 && year <= 9999) {
        int month = (int) ((ymd >> 5) & 15);
        int day = (int) (ymd & 31);
        out.ensure(width);
        for (int i = 0; i < kinds.length; i++) {
          switch (kinds[i]) {
            case LIT:
              out.buf[out.len++] = (byte) lits[i];
              break;
            case YEAR:
              out.putDigits(year, 4);
              break;
            case MONTH:
              out.putDigits(month, 2);
              break;
            case DAY:
              out.putDigits(day, 2);
              break;
            case HOUR:
              out.putDigits(sod / 3600, 2);
              break;
            case MINUTE:
              out.putDigits((sod / 60) % 60, 2);
              break;
            case SECOND:
              out.putDigits(sod % 60, 2);
              break;
            default:
              out.putDigits(ms, 3);
              break;
          }
        }
        return;
      }
    }
    out.put(formatString(epochSeconds).getBytes(StandardCharsets.UTF_8));
  }

  /** Formats epoch seconds as text. */
  String formatString(double epochSeconds) {
    if (kinds != null) {
      ByteBuf b = new ByteBuf(width);
      long millis = Math.round(epochSeconds * 1000.0);
      long year = civilFromDays(Math.floorDiv(Math.floorDiv(millis, 1000L), 86400L)) >> 9;
      if (year >= 0 && year <= 9999) {
        format(epochSeconds, b);
        return new String(b.buf, 0, b.len, StandardCharsets.US_ASCII);
      }
    }
    long millis = hasMillis ? Math.round(epochSeconds * 1000.0) : Math.round(epochSeconds) * 1000L;
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L),
        (int) Math.floorMod(millis, 1000L) * 1_000_000, ZoneOffset.UTC);
    // as an offset date-time so that patterns with a zone offset print UTC
    return formatter.format(t.atOffset(ZoneOffset.UTC));
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level date algorithms"). */
  static long daysFromCivil(long y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }

  /** The inverse of {@link #daysFromCivil}, packed as {@code year << 9 | month << 5 | day}. */
  static long civilFromDays(long z) {
    z += 719468;
    long era = Math.floorDiv(z, 146097);
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) {
      y++;
    }
    return (y << 9) | (m << 5) | d;
  }

  static int daysInMonth(long y, int m) {
    switch (m) {
      case 2:
        return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  /** Fixed-width tokens and literals, or null when the pattern needs java.time. */
  private static List<int[]> tokenize(String p) {
    List<int[]> out = new ArrayList<>();
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '\'') {
        int j = i + 1;
        if (j < p.length() && p.charAt(j) == '\'') {
          out.add(new int[] {LIT, '\''});
          i += 2;
          continue;
        }
        while (j < p.length() && p.charAt(j) != '\'') {
          out.add(new int[] {LIT, p.charAt(j)});
          j++;
        }
        if (j >= p.length()) {
          return null;
        }
        i = j + 1;
        continue;
      }
      if (Character.isLetter(c)) {
        int j = i;
        while (j < p.length() && p.charAt(j) == c) {
          j++;
        }
        String run = p.substring(i, j);
        int kind;
        switch (run) {
          case "yyyy":
          case "uuuu":
            kind = YEAR;
            break;
          case "MM":
            kind = MONTH;
            break;
          case "dd":
            kind = DAY;
            break;
          case "HH":
            kind = HOUR;
            break;
          case "mm":
            kind = MINUTE;
            break;
          case "ss":
            kind = SECOND;
            break;
          case "SSS":
            kind = MILLI;
            break;
          default:
            return null;
        }
        out.add(new int[] {kind, 0});
        i = j;
        continue;
      }
      if (c > 127 || c == '[' || c == ']' || c == '{' || c == '}' || c == '#') {
        return null;
      }
      out.add(new int[] {LIT, c});
      i++;
    }
    boolean y = false;
    boolean m = false;
    boolean d = false;
    boolean time = false;
    for (int[] t : out) {
      y |= t[0] == YEAR;
      m |= t[0] == MONTH;
      d |= t[0] == DAY;
      time |= t[0] == HOUR;
    }
    // a date, or a time of day with no date field at all (read as on 1970-01-01)
    return y && m && d || time && !y && !m && !d ? out : null;
  }

  private static boolean hasTimeLetters(String p) {
    return ColumnType.Datetime.hasUnquoted(p, "HhKkmsSanAN");
  }


  /** {@code yyyy} (year of era) needs an era under STRICT resolution; {@code uuuu} does not. */
  private static String strict(String p) {
    StringBuilder sb = new StringBuilder(p.length());
    boolean quoted = false;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      }
      sb.append(!quoted && c == 'y' ? 'u' : c);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
