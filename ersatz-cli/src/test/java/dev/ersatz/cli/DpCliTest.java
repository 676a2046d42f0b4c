package dev.ersatz.cli;

import static dev.ersatz.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.cli.CliTest.Run;
import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.provenance.Manifest;
import dev.ersatz.provenance.Manifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The differentially private fit and the budget ledger, through the real command line. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DpCliTest {
  @TempDir
  static Path dir;

  Path data;

  @BeforeAll
  void makeData() throws IOException {
    StringBuilder sb = new StringBuilder("age,income,city,member\n");
    Random r = new Random(7);
    String[] cities = {"Lyon", "Porto", "Graz", "Turku"};
    for (int i = 0; i < 3000; i++) {
      int age = 18 + r.nextInt(70);
      sb.append(age).append(',')
          .append(String.format(Locale.ROOT, "%.2f", 1000 + 40.0 * age + 500 * r.nextGaussian()))
          .append(',').append(cities[Math.min(3, (int) Math.abs(r.nextGaussian() * 1.3))])
          .append(',').append(age > 40 == r.nextDouble() < 0.8 ? "yes" : "no").append('\n');
    }
    data = dir.resolve("people.csv");
    Files.writeString(data, sb.toString(), StandardCharsets.UTF_8);
  }

  private String ledger(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void fitSpendsFromTheLedgerAndAnOverspendIsRefusedWithNothingWritten() throws IOException {
    String l = ledger("ledger-a");
    Path m1 = dir.resolve("a1.ersatz");
    Run f = run("fit", data.toString(), "-g", "dp", "--epsilon", "1", "--budget", "1.5",
        "--ledger", l, "-o", m1.toString(), "-q", "--no-catalog");
    assertThat(f.code()).as(f.err()).isZero();
    assertThat(m1).exists();
    assertThat(f.err()).contains("total epsilon set to 1.5 (was 3)")
        .contains("(epsilon=1, delta=1e-06)-differentially private (zCDP rho=")
        .contains("this model file is safe to share")
        .contains("has spent epsilon 1 of 1.5 (1 fit)")
        .containsPattern("no public domain declared for \\d of \\d columns \\(age, income, city")
        .contains("`ersatz inspect a1.ersatz` lists what was kept");

    Run ledger = run("privacy", "ledger", data.toString(), "--ledger", l);
    assertThat(ledger.code()).as(ledger.err()).isZero();
    assertThat(ledger.out()).contains("total 1.5  spent 1  remaining 0.5  fits 1")
        .contains("epsilon=1 delta=1e-06  committed").contains("fit of people.csv -> a1.ersatz");

    Path m2 = dir.resolve("a2.ersatz");
    Run over = run("fit", data.toString(), "-g", "dp", "--epsilon", "1", "--ledger", l,
        "-o", m2.toString(), "-q", "--no-catalog");
    assertThat(over.code()).as(over.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(over.err()).startsWith("error: privacy budget of dataset ")
        .contains("asks for epsilon=1 but 1 earlier fit(s) spent epsilon=1")
        .contains("0.5 remains").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(over.err().strip().lines()).hasSize(1);
    assertThat(m2).doesNotExist();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }

    // the refused fit is not in the ledger; the JSON says so
    Run json = run("privacy", "ledger", data.toString(), "--ledger", l, "--json");
    assertThat(json.code()).as(json.err()).isZero();
    JsonMap j = Json.parseObject(json.out());
    assertThat(j.num("spentEpsilon")).isEqualTo(1.0);
    assertThat(j.num("totalEpsilon")).isEqualTo(1.5);
    assertThat(j.lng("fits")).isEqualTo(1);
    assertThat(json.out()).contains("\"status\": \"committed\"").doesNotContain("a2.ersatz");
    Run all = run("privacy", "ledger", "--ledger", l, "--json");
    assertThat(Json.parseObject(all.out()).objects("datasets")).extracting(d -> d.str(
        "fingerprint")).containsExactly(j.str("fingerprint"));

    // raising the total lets the next fit through
    Run budget = run("privacy", "budget", data.toString(), "--total", "2", "--ledger", l);
    assertThat(budget.code()).as(budget.err()).isZero();
    assertThat(budget.out()).contains("set to 2 (was 1.5)").contains("remaining 1");
    assertThat(run("fit", data.toString(), "-g", "dp", "--epsilon", "1", "--ledger", l,
        "-o", m2.toString(), "-q", "--no-catalog").code()).isZero();
    String prefix = j.str("fingerprint").substring(0, 10);
    String listed = run("privacy", "ledger", prefix, "--ledger", l).out();
    assertThat(listed).contains("spent 2  remaining 0  fits 2");
    // every change of the total is on record, with who made it
    assertThat(listed).containsPattern("total  \\S+  \\S+  epsilon 1\\.5 -> 2");
  }

  @Test
  void inspectShowsThePrivacyBlockAndSamplesCarryEpsilonIntoTheManifest() throws IOException {
    Path m = dir.resolve("b.ersatz");
    Run f = run("fit", data.toString(), "-g", "dp", "--epsilon", "0.5", "--delta", "1e-7",
        "--ledger", ledger("ledger-b"), "-o", m.toString(), "-q");
    assertThat(f.code()).as(f.err()).isZero();
    Run i = run("inspect", m.toString());
    assertThat(i.code()).as(i.err()).isZero();
    assertThat(i.out()).contains("epsilon 0.5, delta 1e-07, zCDP rho ")
        .contains("accounting zCDP").contains("mechanism gaussian").contains("dp true")
        .contains("differentially private: this model file is safe to share");

    Path out = dir.resolve("b.csv");
    Run s = run("sample", m.toString(), "-n", "500", "-o", out.toString(), "-q", "--key-dir",
        dir.resolve("keys").toString());
    assertThat(s.code()).as(s.err()).isZero();
    Manifest man = Manifests.read(out);
    assertThat(man.epsilonSpent()).isEqualTo(0.5);
    Run lin = run("lineage", m.toString());
    assertThat(lin.code()).as(lin.err()).isZero();
    assertThat(lin.out()).contains("differentially private, epsilon 0.5");
  }

  @Test
  void publicDomainsInTheMetadataFileReachTheDpGeneratorAndNoOtherCares() throws IOException {
    Path meta = dir.resolve("people.meta.json");
    Files.writeString(meta, "{\"format\":\"ersatz-metadata\",\"version\":1,\"columns\":["
        + "{\"name\":\"age\",\"type\":\"integer\",\"min\":0,\"max\":120},"
        + "{\"name\":\"city\",\"type\":\"categorical\","
        + "\"values\":[\"Graz\",\"Lyon\",\"Oslo\",\"Porto\",\"Turku\"]}]}",
        StandardCharsets.UTF_8);
    Path m = dir.resolve("e.ersatz");
    Run f = run("fit", data.toString(), "-g", "dp", "--epsilon", "1", "--metadata",
        meta.toString(), "--ledger", ledger("ledger-e"), "-o", m.toString(), "-q",
        "--no-catalog");
    assertThat(f.code()).as(f.err()).isZero();
    assertThat(f.err()).containsPattern("no public domain declared for \\d of \\d columns "
        + "\\(income(, member)?\\)");
    String shown = run("inspect", m.toString()).out();
    assertThat(shown)
        .contains("\"bounds.age\":\"0.0:120.0\"")
        .contains("\"categories.city\":\"Graz|Lyon|Oslo|Porto|Turku\"")
        // a gap bin between the data and a declared bound may hold no noisy mass: not emitted
        .containsPattern("  age\\s+numeric\\s+\\d+ to \\d+ in \\d+ bins\\s+declared")
        .containsPattern("  city\\s+categorical\\s+5 categories\\s+declared")
        .containsPattern("  income\\s+numeric\\s+-?\\d+\\.\\d\\d to \\d+\\.\\d\\d in \\d+ bins"
            + "\\s+found under DP");
    // the ledger records how many domains were declared, not the lists
    assertThat(run("privacy", "ledger", data.toString(), "--ledger", ledger("ledger-e"),
        "--json").out()).contains("declaredBounds=1 declaredCategories=1")
        .doesNotContain("Porto");
    Path s = dir.resolve("e.csv");
    assertThat(run("sample", m.toString(), "-n", "3000", "-o", s.toString(), "-q", "--no-sign",
        "--no-catalog").code()).isZero();
    for (String line : Files.readAllLines(s).subList(1, 3001)) {
      int age = Integer.parseInt(line.split(",", -1)[0]);
      assertThat(age).isBetween(0, 120);
    }
    // other generators read the same file and ignore the domains
    assertThat(run("fit", data.toString(), "-g", "independent", "--metadata", meta.toString(),
        "-o", dir.resolve("e2.ersatz").toString(), "-q", "--no-catalog").code()).isZero();
    assertClean(run("fit", data.toString(), "-g", "dp", "--epsilon", "1", "--metadata",
        meta.toString(), "-O", "bounds.age=0:99", "--ledger", ledger("ledger-e"), "-o",
        dir.resolve("e3.ersatz").toString()), "declared both", "age");
  }

  @Test
  void aCalendarInTheMetadataFileKeepsDpDatesOnIt() throws IOException {
    StringBuilder sb = new StringBuilder("month,amount\n");
    Random r = new Random(3);
    for (int i = 0; i < 3000; i++) {
      sb.append(java.time.LocalDate.of(2010 + r.nextInt(8), 1 + r.nextInt(12), 1)).append(',')
          .append(100 + r.nextInt(900)).append('\n');
    }
    Path monthly = dir.resolve("monthly.csv");
    Files.writeString(monthly, sb.toString(), StandardCharsets.UTF_8);
    Path meta = dir.resolve("monthly.meta.json");
    Files.writeString(meta, "{\"format\":\"ersatz-metadata\",\"version\":1,\"columns\":["
        + "{\"name\":\"month\",\"type\":\"date\",\"calendar\":\"month\"}]}",
        StandardCharsets.UTF_8);
    Path m = dir.resolve("monthly.ersatz");
    Run f = run("fit", monthly.toString(), "-g", "dp", "--epsilon", "1", "--metadata",
        meta.toString(), "--ledger", ledger("ledger-cal"), "-o", m.toString(), "-q",
        "--no-catalog");
    assertThat(f.code()).as(f.err()).isZero();
    assertThat(run("inspect", m.toString()).out()).contains("\"calendar.month\":\"month\"")
        .containsPattern("  month\\s+datetime\\s+.*on the first of each month \\(declared\\)");
    Path s = dir.resolve("monthly_synthetic.csv");
    assertThat(run("sample", m.toString(), "-n", "2000", "-o", s.toString(), "-q", "--no-sign",
        "--no-catalog").code()).isZero();
    List<String> lines = Files.readAllLines(s).subList(1, 2001);
    assertThat(lines).allSatisfy(line -> assertThat(line).matches("\\d{4}-\\d\\d-01,.*"));
    assertClean(run("fit", monthly.toString(), "-g", "dp", "--epsilon", "1", "--metadata",
        meta.toString(), "-O", "calendar.month=year", "--ledger", ledger("ledger-cal"), "-o",
        dir.resolve("monthly2.ersatz").toString()), "declared both", "month");
  }

  @Test
  void reproducibleNoiseIsNeverCalledShareable() {
    Run f = run("fit", data.toString(), "-g", "dp", "--epsilon", "1", "-O",
        "reproducibleNoise=true", "--ledger", ledger("ledger-c"), "-o",
        dir.resolve("c.ersatz").toString(), "-q", "--no-catalog");
    assertThat(f.code()).as(f.err()).isZero();
    assertThat(f.err()).contains("NOT differentially private").doesNotContain("safe to share");
    assertThat(run("inspect", dir.resolve("c.ersatz").toString()).out())
        .contains("not differentially private");
  }

  @Test
  void aColumnThatComesOutEmptyIsNamedAtFitTime() throws IOException {
    // 1,500 rows whose 'code' takes 300 values, 5 rows each: none passes the release threshold
    StringBuilder sb = new StringBuilder("age,code\n");
    for (int i = 0; i < 1500; i++) {
      sb.append(20 + i % 50).append(",C").append(i % 300).append('\n');
    }
    Path codes = dir.resolve("codes.csv");
    Files.writeString(codes, sb.toString(), StandardCharsets.UTF_8);
    Path m = dir.resolve("f.ersatz");
    Run f = run("fit", codes.toString(), "-g", "dp", "--epsilon", "1", "--ledger",
        ledger("ledger-f"), "-o", m.toString(), "-q", "--no-catalog");
    assertThat(f.code()).as(f.err()).isZero();
    assertThat(f.err()).contains("warning: code comes out empty (missing in every row): "
        + "nothing of it rose above the noise at epsilon 1").doesNotContain("C1");
    assertThat(run("inspect", m.toString()).out())
        .containsPattern("  code\\s+categorical\\s+0 categories, missing 100.0%");
    // the other column is not named
    assertThat(f.err()).doesNotContain("age comes out empty");
    assertClean(run("sample", m.toString(), "-n", "10", "-o", dir.resolve("f.csv").toString(),
        "--where", "code=C1", "--no-sign", "--no-catalog"),
        "the dp model released no category of code");
  }

  @Test
  void misuseGivesOneClearLine() {
    Path m = dir.resolve("never.ersatz");
    assertClean(run("fit", data.toString(), "--epsilon", "1", "-o", m.toString()),
        "--generator dp", "trees");
    assertClean(run("fit", data.toString(), "-g", "copula", "--ledger", ledger("x"), "-o",
        m.toString()), "--generator dp");
    assertClean(run("fit", data.toString(), "-g", "dp", "-o", m.toString(), "--ledger",
        ledger("ledger-d")), "epsilon is required", "--epsilon 1");
    assertClean(run("fit", data.toString(), "-g", "dp", "--epsilon", "-1", "-o", m.toString(),
        "--ledger", ledger("ledger-d")), "epsilon must be > 0 but was -1");
    assertClean(run("fit", data.toString(), "-g", "dp", "--epsilon", "1", "-O", "bounds.age=9:1",
        "-o", m.toString(), "--ledger", ledger("ledger-d")), "bounds.age");
    // a bad output folder is found before anything is spent
    assertClean(run("fit", data.toString(), "-g", "dp", "--epsilon", "1", "-o",
        dir.resolve("no/such/m.ersatz").toString(), "--ledger", ledger("ledger-d")), "no/such");
    assertThat(m).doesNotExist();
    Run l = run("privacy", "ledger", "--ledger", ledger("ledger-d"), "--json");
    assertThat(l.code()).as(l.err()).isZero();
    assertThat(Json.parseObject(l.out()).list("datasets")).isEmpty();
    // the URL of a JDBC ledger may hold a password: never printed
    Run bad = run("privacy", "ledger", "--ledger-url", "jdbc:nosuchdb://h/db?password=hunter2");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.out() + bad.err()).doesNotContain("hunter2");
    assertClean(run("privacy", "ledger", "zz-not-a-fingerprint", "--ledger", ledger("ledger-d")),
        "neither a file nor a dataset fingerprint");
  }

  private static void assertClean(Run r, String... fragments) {
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).startsWith("error: ").doesNotContain("Exception")
        .doesNotContain("\tat ");
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }
}
