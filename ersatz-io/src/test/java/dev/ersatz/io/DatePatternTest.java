package dev.ersatz.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.schema.ColumnType;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class DatePatternTest {

  @Test
  void civilDaysAgreeWithJavaTime() {
    for (long d = -800_000; d <= 3_000_000; d += 37) {
      LocalDate ld = LocalDate.ofEpochDay(d);
      assertThat(DatePattern.daysFromCivil(ld.getYear(), ld.getMonthValue(), ld.getDayOfMonth()))
          .isEqualTo(d);
      long packed = DatePattern.civilFromDays(d);
      assertThat(packed >> 9).isEqualTo(ld.getYear());
      assertThat((packed >> 5) & 15).isEqualTo(ld.getMonthValue());
      assertThat(packed & 31).isEqualTo(ld.getDayOfMonth());
    }
  }

  @Test
  void fastPathAgreesWithJavaTimeForEveryInferencePattern() {
    for (String p : TypeInference.DATE_PATTERNS) {
      DatePattern dp = DatePattern.compile(p);
      DateTimeFormatter f = DateTimeFormatter.ofPattern(p, Locale.ENGLISH);
      for (long s = -2_000_000_000L; s < 4_000_000_000L; s += 7_777_777L) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC);
        if (dp.dateOnly()) {
          t = t.toLocalDate().atStartOfDay();
        } else if (!p.contains("ss")) {
          t = t.withSecond(0);
        }
        String text = f.format(t.atOffset(ZoneOffset.UTC));
        assertThat(dp.formatString(t.toEpochSecond(ZoneOffset.UTC))).as(p).isEqualTo(text);
        // a time of day reads back as that time on 1970-01-01
        long back = ColumnType.Datetime.timeOnly(p) ? t.toLocalTime().toSecondOfDay()
            : t.toEpochSecond(ZoneOffset.UTC);
        assertThat(dp.parse(text)).as(p + " " + text).isEqualTo(back);
      }
    }
  }

  @Test
  void strictParsing() {
    DatePattern p = DatePattern.compile("yyyy-MM-dd HH:mm:ss");
    assertThat(p.parse("2021-02-28 23:59:59")).isFinite();
    assertThat(p.parse("2021-02-29 00:00:00")).isNaN();
    assertThat(p.parse("2021-02-28 24:00:00")).isNaN();
    assertThat(p.parse("2021-02-28 23:60:00")).isNaN();
    assertThat(p.parse("2021-2-28 23:00:00")).isNaN();
    assertThat(p.parse("2021-02-28T23:00:00")).isNaN();
    assertThat(p.parse("2021-02-28 23:00:00 ")).isNaN();
  }

  @Test
  void otherPatternsUseJavaTime() {
    DatePattern p = DatePattern.compile("d MMM uuuu");
    assertThat(p.dateOnly()).isTrue();
    assertThat(p.parse("5 Mar 2021")).isEqualTo(LocalDate.of(2021, 3, 5).toEpochDay() * 86400.0);
    assertThat(p.parse("31 Feb 2021")).isNaN();
    assertThat(p.formatString(LocalDate.of(2021, 3, 5).toEpochDay() * 86400.0))
        .isEqualTo("5 Mar 2021");
    DatePattern z = DatePattern.compile("yyyy-MM-dd'T'HH:mm:ssXXX");
    assertThat(z.dateOnly()).isFalse();
    assertThat(z.parse("2021-03-05T10:00:00+01:00"))
        .isEqualTo(LocalDateTime.of(2021, 3, 5, 9, 0).toEpochSecond(ZoneOffset.UTC));
    assertThat(z.formatString(0)).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void invalidPatterns() {
    assertThatThrownBy(() -> DatePattern.compile("yyyy-bb")).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void yearsOutsideFourDigitsFallBack() {
    DatePattern p = DatePattern.compile("yyyy-MM-dd");
    double farFuture = LocalDate.of(12345, 1, 2).toEpochDay() * 86400.0;
    assertThat(p.formatString(farFuture)).isEqualTo("+12345-01-02");
  }
}
