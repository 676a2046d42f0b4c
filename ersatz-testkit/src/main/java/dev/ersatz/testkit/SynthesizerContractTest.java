package dev.ersatz.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.sampling.BatchSampler;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.spi.Condition;
import dev.ersatz.core.spi.FitContext;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.SupportsConditionalSampling;
import dev.ersatz.core.spi.SynthesizerProvider;
import dev.ersatz.core.spi.Synthesizers;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.core.table.Tables;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every generator must do (STYLE.md rule 18). A generator's test extends this and names
 * the generator; the contract then checks it on tables with every column kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SynthesizerContractTest {
  /** Rare categories come back as this label (see the models' privacy settings). */
  public static final String RARE_LABEL = "_RARE_";

  protected abstract String generatorName();

  /** Generator options used by the contract (defaults unless overridden). */
  protected Map<String, String> options() {
    return Map.of();
  }

  private Table clinic;
  private Table awkward;
  private FittedModel clinicModel;
  private FittedModel awkwardModel;

  @BeforeAll
  void fitModels() {
    SynthesizerProvider p = Synthesizers.get(generatorName());
    clinic = Fixtures.clinic(3000, 11);
    awkward = Fixtures.awkward(1500, 12);
    clinicModel = p.create(options()).fit(clinic, FitContext.of(1));
    awkwardModel = p.create(options()).fit(awkward, FitContext.of(2));
  }

  protected static Table sample(FittedModel m, long rows, long seed) {
    List<Table> parts = new ArrayList<>();
    BatchSampler.run(m::sampleBatch, rows, seed, 2, t -> t, parts::add,
        (s, d, t) -> {});
    return parts.isEmpty() ? m.sampleBatch(0, 0, RandomSource.of(seed)) : Tables.concat(parts);
  }

  @Test
  void keepsTheSchema() {
    assertThat(clinicModel.schema()).isEqualTo(clinic.schema());
    assertThat(sample(clinicModel, 100, 3).schema()).isEqualTo(clinic.schema());
    assertThat(sample(awkwardModel, 100, 3).schema()).isEqualTo(awkward.schema());
  }

  @Test
  void givesExactlyTheRowsAskedFor() {
    for (long n : new long[] {0, 1, 8191, 8193, 20_000}) {
      assertThat(sample(clinicModel, n, 5).rowCount()).as("rows for n=%d", n).isEqualTo(n);
    }
  }

  @Test
  void sameSeedSameRowsOtherSeedOtherRows() {
    Table a = sample(clinicModel, 10_000, 42);
    Table b = sample(clinicModel, 10_000, 42);
    Table c = sample(clinicModel, 10_000, 43);
    assertThat(a.columns()).isEqualTo(b.columns());
    assertThat(a.columns()).isNotEqualTo(c.columns());
  }

  @Test
  void keepsMissingValuesAtAboutTheirRate() {
    Table s = sample(clinicModel, 20_000, 7);
    int hba1c = clinic.schema().require("hba1c", "test");
    double real = clinic.missingRate(hba1c);
    assertThat(real).isBetween(0.2, 0.9);
    // 20k draws: a 0.05 band is more than 10 standard errors wide for any sane model
    assertThat(s.missingRate(hba1c)).isCloseTo(real, org.assertj.core.data.Offset.offset(0.05));
    int sparse = awkward.schema().require("sparse", "test");
    Table t = sample(awkwardModel, 20_000, 7);
    assertThat(t.missingRate(sparse)).isCloseTo(awkward.missingRate(sparse),
        org.assertj.core.data.Offset.offset(0.05));
    int empty = awkward.schema().require("empty", "test");
    assertThat(t.missingRate(empty)).isEqualTo(1.0);
  }

  @Test
  void inventsNoCategoryAndProtectsRareOnes() {
    checkNoInvention(clinic, sample(clinicModel, 20_000, 8));
    Table t = sample(awkwardModel, 20_000, 8);
    checkNoInvention(awkward, t);
    ColumnData.Codes group = (ColumnData.Codes) t.column(awkward.schema().require("group", "t"));
    for (int r = 0; r < group.size(); r++) {
      assertThat(group.get(r)).as("a category seen 3 times is never emitted").isNotEqualTo("rare");
    }
  }

  private static void checkNoInvention(Table real, Table synth) {
    for (int i = 0; i < real.schema().size(); i++) {
      Column c = real.schema().column(i);
      if (real.column(i) instanceof ColumnData.Codes rc) {
        Set<String> allowed = new HashSet<>();
        for (int r = 0; r < rc.size(); r++) {
          if (rc.get(r) != null) {
            allowed.add(rc.get(r));
          }
        }
        if (!(c.type() instanceof ColumnType.Bool)) {
          allowed.add(RARE_LABEL);
        }
        ColumnData.Codes sc = (ColumnData.Codes) synth.column(i);
        for (int r = 0; r < sc.size(); r++) {
          if (sc.get(r) != null) {
            assertThat(allowed).as("values of %s", c.name()).contains(sc.get(r));
          }
        }
      } else if (real.column(i) instanceof ColumnData.Numbers rn) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rn.size(); r++) {
          if (!rn.isMissing(r)) {
            lo = Math.min(lo, rn.get(r));
            hi = Math.max(hi, rn.get(r));
          }
        }
        // beyond the real range only the two top-coded bounds may appear: lone real extremes
        // rounded outward (a shared extreme is kept and lies inside the range)
        ColumnData.Numbers sn = (ColumnData.Numbers) synth.column(i);
        Set<Double> outside = new HashSet<>();
        // the bound moves by at most one unit: a tenth of the span's order of magnitude (+ grid)
        double slackLo = 0.2 * (hi - lo) + 86400;
        double slackHi = 0.2 * (hi - lo) + 86400;
        for (int r = 0; r < sn.size(); r++) {
          if (!sn.isMissing(r)) {
            double v = sn.get(r);
            assertThat(v).as("range of %s", c.name()).isBetween(lo - slackLo, hi + slackHi);
            if (v < lo || v > hi) {
              outside.add(v);
            }
          }
        }
        assertThat(outside).as("values of %s outside the real range", c.name()).hasSizeLessThan(3);
      }
    }
  }

  @Test
  void identifiersAreUniqueAndTextIsNotLearned() {
    Table s = sample(clinicModel, 20_000, 9);
    ColumnData.Strings ids = (ColumnData.Strings) s.column(0);
    Set<String> seen = new HashSet<>();
    for (int r = 0; r < ids.size(); r++) {
      assertThat(seen.add(ids.get(r))).as("duplicate id %s", ids.get(r)).isTrue();
      assertThat(ids.get(r)).matches("P\\d{6}");
    }
    int notes = clinic.schema().require("notes", "t");
    assertThat(s.missingRate(notes)).isEqualTo(1.0);
  }

  @Test
  void conditionalSamplingHonoursTheCondition() {
    if (!(clinicModel instanceof SupportsConditionalSampling cs)) {
      return;
    }
    Condition c = new Condition(List.of(new Condition.Clause("diagnosis", "COPD"),
        new Condition.Clause("smoker", "yes")));
    cs.validate(c);
    Table t = cs.sampleBatch(c, 500, 0, RandomSource.of(4));
    assertThat(t.rowCount()).isEqualTo(500);
    ColumnData.Codes d = (ColumnData.Codes) t.column(clinic.schema().require("diagnosis", "t"));
    ColumnData.Codes s = (ColumnData.Codes) t.column(clinic.schema().require("smoker", "t"));
    for (int r = 0; r < 500; r++) {
      assertThat(d.get(r)).isEqualTo("COPD");
      assertThat(s.get(r)).isEqualTo("yes");
    }
    Condition age = new Condition(List.of(new Condition.Clause("age", "70")));
    Table a = cs.sampleBatch(age, 200, 0, RandomSource.of(5));
    ColumnData.Numbers ages = (ColumnData.Numbers) a.column(clinic.schema().require("age", "t"));
    for (int r = 0; r < 200; r++) {
      assertThat(ages.get(r)).isEqualTo(70.0);
    }
    assertThatThrownBy(() -> cs.validate(new Condition(List.of(
        new Condition.Clause("diagnosis", "flu")))))
        .isInstanceOf(UserInputException.class).hasMessageContaining("diagnosis");
    assertThatThrownBy(() -> cs.validate(new Condition(List.of(
        new Condition.Clause("nope", "1")))))
        .isInstanceOf(UserInputException.class).hasMessageContaining("unknown column 'nope'");
  }

  @Test
  void parametersRoundTripThroughJson() {
    SynthesizerProvider p = Synthesizers.get(generatorName());
    String json = Json.write(clinicModel.parameters());
    FittedModel back = p.load(clinicModel.schema(), Json.parseObject(json),
        clinicModel.provenance());
    assertThat(Json.write(back.parameters())).isEqualTo(json);
    assertThat(sample(back, 5000, 77).columns()).isEqualTo(sample(clinicModel, 5000, 77).columns());
  }

  /** The fitted model of the clinic fixture, for generator-specific checks. */
  protected FittedModel clinicModel() {
    return clinicModel;
  }

  protected Table clinic() {
    return clinic;
  }
}
