package dev.ersatz.models.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.models.PrivacySettings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Regenerated identifiers: integer keys over the real keys' range, unique. */
class IdentifiersTest {
  private static final ColumnType SEQUENCE = new ColumnType.Identifier("sequence", 1);

  /** 300 patient numbers between 1,000 and about 9,000, shuffled, with an age beside them. */
  private static Table patients() {
    int n = 300;
    String[] ids = new String[n];
    double[] age = new double[n];
    RandomSource rng = RandomSource.of(3);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    rng.shuffle(order);
    for (int i = 0; i < n; i++) {
      ids[i] = Long.toString(1000 + 27L * order[i] + rng.nextInt(20));
      age[i] = 20 + rng.nextInt(60);
    }
    return Table.of(Schema.of(List.of(Column.of("patient", SEQUENCE),
            Column.of("age", ColumnType.Numeric.ofInteger()))),
        List.of(ColumnData.Strings.adopt(ids), ColumnData.Numbers.adopt(age)));
  }

  @Test
  void integerKeysComeOutOverTheRealRangeAndUnique() {
    Table real = patients();
    Frame frame = Frame.fit(real, new PrivacySettings(5));
    // through the model file, as sampling from a saved model sees it
    Frame loaded = Frame.fromJson(real.schema(), Json.parseObject(Json.write(frame.toJson())));
    int[][] cells = frame.encode(real);
    Table out = loaded.decode(300, 0, cells, null, null, RandomSource.of(1));
    ColumnData.Strings ids = (ColumnData.Strings) out.column(0);
    Set<Long> seen = new HashSet<>();
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int r = 0; r < ids.size(); r++) {
      long v = Long.parseLong(ids.get(r));
      seen.add(v);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(seen).hasSize(300);
    // from the 5th smallest real key (about 1,100) to about the largest (about 9,070)
    assertThat(min).isBetween(1090L, 1140L);
    assertThat(max).isBetween(8900L, 9300L);
    // a second batch continues the keys instead of repeating them
    Table next = loaded.decode(10, 300, cells, null, null, RandomSource.of(2));
    assertThat(Long.parseLong(((ColumnData.Strings) next.column(0)).get(0))).isGreaterThan(max);
  }

  @Test
  void templateKeysKeepTheRealNumbersBlock() {
    // P100000, P100007, ... as the demo's patient ids: not P000000 onwards
    String[] ids = new String[200];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = "P" + (100000 + 7 * i);
    }
    ColumnType template = new ColumnType.Identifier("P999999", 1);
    Identifiers.Span span = Identifiers.Span.fit(template, ColumnData.Strings.adopt(ids), 5);
    assertThat(span.first()).isEqualTo(100028);
    assertThat(span.step()).isEqualTo(7.0); // the real gap, which shares no factor with 10
    ColumnData.Strings out = (ColumnData.Strings) Identifiers.generate(template, 3, 0,
        RandomSource.of(1), span);
    assertThat(List.of(out.get(0), out.get(1), out.get(2)))
        .containsExactly("P100028", "P100035", "P100042");
    // the six digits wrap, and a step coprime with 10 still gives 10^6 distinct keys
    Set<String> many = new HashSet<>();
    ColumnData.Strings big = (ColumnData.Strings) Identifiers.generate(template, 999_000, 0,
        RandomSource.of(1), span);
    for (int r = 0; r < big.size(); r++) {
      many.add(big.get(r));
    }
    assertThat(many).hasSize(999_000);
    // a literal the template escapes, and a value off the template: no span
    assertThat(Identifiers.Span.fit(new ColumnType.Identifier("\\A-999", 1),
        ColumnData.Strings.adopt(new String[] {"A-001", "A-0x2"}), 1)).isNull();
  }

  @Test
  void zipCodesSpreadOverTheirRealRange() {
    // five-digit codes with leading zeros, 00501 to 99950 in gaps of about 3: a step of 3
    String[] zips = new String[30_000];
    for (int i = 0; i < zips.length; i++) {
      zips[i] = String.format(java.util.Locale.ROOT, "%05d", 501 + (int) (3.31 * i));
    }
    ColumnType template = new ColumnType.Identifier("99999", 1);
    Identifiers.Span span = Identifiers.Span.fit(template, ColumnData.Strings.adopt(zips), 5);
    assertThat(span.step()).isEqualTo(3.0);
    ColumnData.Strings out = (ColumnData.Strings) Identifiers.generate(template, 100_000, 0,
        RandomSource.of(1), span);
    assertThat(out.get(0)).isEqualTo("00514");
    assertThat(out.get(29_999)).startsWith("9");
    Set<String> all = new HashSet<>();
    for (int r = 0; r < out.size(); r++) {
      all.add(out.get(r));
    }
    assertThat(all).hasSize(100_000); // every five-digit code once before any repeats
    // gaps that share a factor with 10 move to the nearest one that does not
    assertThat(Identifiers.Span.coprimeStep(10, 6)).isIn(9L, 11L);
    assertThat(Identifiers.Span.coprimeStep(4.4, 6)).isEqualTo(3L);
    assertThat(Identifiers.Span.coprimeStep(0.2, 6)).isEqualTo(1L);
    assertThat(Identifiers.Span.coprimeStep(500, 2)).isEqualTo(99L);
  }

  @Test
  void keysThatAreNotWholeNumbersOrHaveADeclaredStartCountUpAsDeclared() {
    assertThat(Identifiers.Span.fit(SEQUENCE,
        ColumnData.Strings.adopt(new String[] {"A1", "A2", "A3"}), 1)).isNull();
    String[] many = new String[40];
    for (int i = 0; i < many.length; i++) {
      many[i] = Integer.toString(500 + 3 * i);
    }
    assertThat(Identifiers.Span.fit(new ColumnType.Identifier("sequence", 7000),
        ColumnData.Strings.adopt(many), 5)).isNull();
    Identifiers.Span span = Identifiers.Span.fit(SEQUENCE, ColumnData.Strings.adopt(many), 5);
    assertThat(span.first()).isEqualTo(512);
    assertThat(span.step()).isEqualTo(3.0);
    // too few keys to hide the ends behind k-th order statistics
    assertThat(Identifiers.Span.fit(SEQUENCE,
        ColumnData.Strings.adopt(java.util.Arrays.copyOf(many, 11)), 5)).isNull();
    ColumnData declared = Identifiers.generate(new ColumnType.Identifier("sequence", 7000), 2,
        0, RandomSource.of(1), null);
    assertThat(((ColumnData.Strings) declared).get(1)).isEqualTo("7001");
  }
}
