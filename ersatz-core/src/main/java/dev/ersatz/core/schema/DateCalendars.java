package dev.ersatz.core.schema;

import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/**
 * The calendars a date column's values may keep: all on one weekday ({@link #WEEK}), on the
 * first of each month ({@link #MONTH}) or of January ({@link #YEAR}); 0 is none. The trees
 * generator finds one in the data, the dp generator takes one declared by the user; both move
 * sampled dates onto it with {@link #nearest} and describe it with {@link #describe}.
 *
 * <p>Dates are seconds since 1970-01-01T00:00:00 UTC at midnight; a weekly calendar is given
 * by its weekday's day number (days since 1970-01-01) modulo 7.
 */
public final class DateCalendars {
  public static final int WEEK = 1;
  public static final int MONTH = 2;
  public static final int YEAR = 3;
  /** Names as model files write them, by calendar ("" for none). */
  public static final List<String> NAMES = List.of("", "week", "month", "year");
  private static final long DAY = 86_400;

  private DateCalendars() {}

  /**
   * The date on the calendar nearest to {@code x} among the two around it (the day's own when
   * it is on the calendar) that lies in {@code [lo, hi]} ({@code [lo, hi)} with
   * {@code hiExclusive}); the earlier on a tie; {@code x} itself when neither lies in it.
   */
  public static double nearest(int calendar, int weekRest, double x, double lo, double hi,
      boolean hiExclusive) {
    long day = Math.floorDiv((long) Math.floor(x), DAY);
    long down;
    long up;
    if (calendar == WEEK) {
      down = day - Math.floorMod(day - weekRest, 7L);
      up = down == day ? day : down + 7;
    } else {
      LocalDate d = LocalDate.ofEpochDay(day);
      LocalDate first = calendar == YEAR ? d.withDayOfYear(1) : d.withDayOfMonth(1);
      down = first.toEpochDay();
      up = down == day ? day
          : (calendar == YEAR ? first.plusYears(1) : first.plusMonths(1)).toEpochDay();
    }
    double a = down * (double) DAY;
    double b = up * (double) DAY;
    boolean aIn = a >= lo && (hiExclusive ? a < hi : a <= hi);
    boolean bIn = b >= lo && (hiExclusive ? b < hi : b <= hi);
    if (aIn && bIn) {
      return x - a <= b - x ? a : b;
    }
    return aIn ? a : bIn ? b : x;
  }

  /** The calendar in words for {@code inspect} ("on the first of each month"), or null. */
  public static String describe(int calendar, int weekRest) {
    switch (calendar) {
      case YEAR:
        return "on the first of January";
      case MONTH:
        return "on the first of each month";
      case WEEK:
        return "on " + LocalDate.ofEpochDay(weekRest).getDayOfWeek().getDisplayName(
            TextStyle.FULL, Locale.ENGLISH) + "s";
      default:
        return null;
    }
  }
}
