package dev.ersatz.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.io.ReadOptions;
import dev.ersatz.io.TableReader;
import dev.ersatz.testkit.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end tests of every user-facing command, through the real command line. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTest {
  @TempDir
  static Path dir;

  Path clinicCsv;
  Path clinicModel;

  record Run(int code, String out, String err) {}

  /** {@link #run} with {@link System#out} (where {@code -o -} writes) going to {@code out}. */
  static Run runWithStdout(OutputStream out, String... args) {
    PrintStream saved = System.out;
    try {
      System.setOut(new PrintStream(out, false));
      return run(args);
    } finally {
      System.setOut(saved);
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  void makeData() throws IOException {
    Run demo = run("demo", "--out", dir.resolve("demo").toString(), "--rows", "3000", "-q");
    assertThat(demo.code()).as(demo.err()).isZero();
    clinicCsv = dir.resolve("demo/clinic_patients.csv");
    clinicModel = dir.resolve("demo/clinic_patients.ersatz");
  }

  @Test
  void demoWritesEveryFileAndTheComparison() throws IOException {
    Path d = dir.resolve("demo");
    for (String f : List.of("clinic_patients.csv", "clinic_patients.metadata.json",
        "clinic_patients.ersatz", "clinic_patients_synthetic.csv")) {
      assertThat(d.resolve(f)).exists();
    }
    Run again = run("demo", "--input", clinicCsv.toString(), "--out",
        dir.resolve("demo2").toString(), "-q");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("strongest correlations").contains("synthetic data");
    // the synthetic data comes with a signed manifest whose chain reaches the real table
    Path synth = d.resolve("clinic_patients_synthetic.csv");
    assertThat(d.resolve("clinic_patients_synthetic.csv.manifest.json")).exists();
    Run verify = run("verify", synth.toString());
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    Run unsigned = run("demo", "--out", dir.resolve("demo3").toString(), "--rows", "500", "-q",
        "--no-sign");
    assertThat(unsigned.code()).as(unsigned.err()).isZero();
    assertThat(dir.resolve("demo3/clinic_patients_synthetic.csv.manifest.json")).doesNotExist();
  }

  @Test
  void profileWritesMetadataAndFitAcceptsIt() {
    Path meta = dir.resolve("p.metadata.json");
    Run p = run("profile", clinicCsv.toString(), "-o", meta.toString());
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out()).contains("patient_id").contains("identifier").contains("hba1c");
    assertThat(meta).exists();
    Run f = run("fit", clinicCsv.toString(), "--metadata", meta.toString(), "-o",
        dir.resolve("m.ersatz").toString(), "-g", "copula", "-q");
    assertThat(f.code()).as(f.err()).isZero();
  }

  @Test
  void fitReadsJsonRecordsAndSamplesThemAsCsv() throws IOException {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 400; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"age\": ").append(20 + i % 60)
          .append(", \"plan\": \"").append(i % 3 == 0 ? "gold" : "basic")
          .append("\", \"spend\": ").append(i % 7 == 0 ? "null" : (10 + i % 50) + ".5")
          .append(", \"active\": ").append(i % 4 != 0).append('}');
    }
    Path json = dir.resolve("customers.json");
    Files.writeString(json, sb.append(']').toString());
    Path m = dir.resolve("customers.ersatz");
    Run f = run("fit", json.toString(), "-o", m.toString(), "-q", "--no-catalog");
    assertThat(f.code()).as(f.err()).isZero();
    Path out = dir.resolve("customers_synthetic.csv");
    Run s = run("sample", m.toString(), "-n", "300", "-o", out.toString(), "-q", "--no-sign",
        "--no-catalog");
    assertThat(s.code()).as(s.err()).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).isEqualTo("age,plan,spend,active");
    assertThat(lines).hasSize(301);
    assertThat(lines.get(1)).matches("\\d+,(gold|basic),(\\d+\\.5)?,(true|false)");
    // and back to JSON Lines: the same rows as the CSV, one object a line
    Path jsonl = dir.resolve("customers_synthetic.jsonl");
    Run j = run("sample", m.toString(), "-n", "300", "-o", jsonl.toString(), "-q", "--no-sign",
        "--no-catalog");
    assertThat(j.code()).as(j.err()).isZero();
    List<String> objects = Files.readAllLines(jsonl);
    assertThat(objects).hasSize(300);
    String[] firstCsv = lines.get(1).split(",", -1);
    assertThat(objects.get(0)).isEqualTo("{\"age\":" + firstCsv[0] + ",\"plan\":\"" + firstCsv[1]
        + "\",\"spend\":" + (firstCsv[2].isEmpty() ? "null" : firstCsv[2]) + ",\"active\":"
        + firstCsv[3] + "}");
  }

  @Test
  void fitReadsSdvMetadataAndModelsItsTargetLast() throws IOException {
    Path meta = dir.resolve("sdv.json");
    Files.writeString(meta, "{\"METADATA_SPEC_VERSION\": \"SINGLE_TABLE_V1\", "
        + "\"primary_key\": \"patient_id\", \"target\": \"smoker\", \"positive\": \"yes\", "
        + "\"columns\": {\"patient_id\": {\"sdtype\": \"id\"}, \"age\": {\"sdtype\": "
        + "\"numerical\"}, \"sex\": {\"sdtype\": \"categorical\"}, \"smoker\": {\"sdtype\": "
        + "\"categorical\"}, \"visit_date\": {\"sdtype\": \"datetime\", \"datetime_format\": "
        + "\"%Y-%m-%d\"}, \"bmi\": {\"sdtype\": \"numerical\", \"computer_representation\": "
        + "\"Float\"}, \"readmitted\": {\"sdtype\": \"boolean\"}, \"notes\": {\"sdtype\": "
        + "\"unknown\"}}}");
    Path m = dir.resolve("sdv.ersatz");
    Run f = run("fit", clinicCsv.toString(), "-m", meta.toString(), "-o", m.toString(), "-q",
        "--no-catalog");
    assertThat(f.code()).as(f.err()).isZero();
    Run i = run("inspect", m.toString());
    assertThat(i.code()).as(i.err()).isZero();
    assertThat(i.out()).contains("the target, smoker, last");
    // a table of boost_rows rows or more keeps its order (ADR 19)
    Path kept = dir.resolve("sdv-kept.ersatz");
    Run k = run("fit", clinicCsv.toString(), "-m", meta.toString(), "-o", kept.toString(), "-q",
        "--no-catalog", "-O", "boost_rows=1000");
    assertThat(k.code()).as(k.err()).isZero();
    assertThat(run("inspect", kept.toString()).out()).contains("the target, smoker, in its place");
    assertThat(formatVersion(kept)).isEqualTo(1);
    // a reordered frame is what version 1 readers would misread; other models stay version 1
    assertThat(formatVersion(m)).isEqualTo(2);
    assertThat(formatVersion(clinicModel)).isEqualTo(1);
    // smoker is drawn last, given columns that follow it in the file
    List<String> structure = i.out().lines().filter(l -> l.startsWith("  ") && l.contains("<-"))
        .toList();
    String last = structure.get(structure.size() - 1);
    assertThat(last).startsWith("  smoker").containsPattern("<-.*(cost|hba1c|bmi|diagnosis)");
    // output keeps the file's column order, and conditions on the moved column hold
    Path o = dir.resolve("sdv.csv");
    Run s = run("sample", m.toString(), "-n", "500", "-o", o.toString(), "--where",
        "smoker=yes", "-q", "--no-sign", "--no-catalog");
    assertThat(s.code()).as(s.err()).isZero();
    List<String> lines = Files.readAllLines(o);
    assertThat(lines.get(0)).isEqualTo(Files.readAllLines(clinicCsv).get(0));
    assertThat(lines.subList(1, lines.size())).allMatch(l -> l.split(",")[3].equals("yes"));
    // notes, an unknown sdtype, is kept out of the model as text
    assertThat(i.out()).doesNotContain("  notes ");
    // evaluate takes either format; an Ersatz file may leave "format" out
    Path ersatzMeta = dir.resolve("plain.json");
    Files.writeString(ersatzMeta, "{\"columns\": [{\"name\": \"age\", \"type\": \"integer\"}]}");
    for (Path md : List.of(meta, ersatzMeta)) {
      Run e = run("evaluate", "--real", clinicCsv.toString(), "--synthetic", o.toString(),
          "-m", md.toString(), "--no-utility", "--no-detection", "--no-privacy", "-o",
          dir.resolve("r-" + md.getFileName()).toString());
      assertThat(e.code()).as(e.err()).isZero();
    }
  }

  private static long formatVersion(Path model) throws IOException {
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(model))) {
      return dev.ersatz.core.json.Json.parseObject(
          new String(in.readAllBytes(), StandardCharsets.UTF_8)).lng("formatVersion");
    }
  }

  @Test
  void sampleKeepsColumnsTypesAndFormatsAndIsDeterministic() throws IOException {
    Path a = dir.resolve("a.csv");
    Path b = dir.resolve("b.csv");
    assertThat(run("sample", clinicModel.toString(), "-n", "20000", "-o", a.toString(), "--seed",
        "5", "-q").code()).isZero();
    assertThat(run("sample", clinicModel.toString(), "-n", "20000", "-o", b.toString(), "--seed",
        "5", "--threads", "1", "-q").code()).isZero();
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    Table real = TableReader.read(clinicCsv, ReadOptions.defaults()).table();
    Table synth = TableReader.read(a, ReadOptions.defaults()).table();
    assertThat(synth.rowCount()).isEqualTo(20000);
    Schema rs = real.schema();
    Schema ss = synth.schema();
    assertThat(ss.names()).isEqualTo(rs.names());
    for (int i = 0; i < rs.size(); i++) {
      if (rs.column(i).type().modelled()) {
        assertThat(ss.column(i).type()).as(rs.column(i).name()).isEqualTo(rs.column(i).type());
      }
    }
    String header = Files.readAllLines(a).get(0);
    assertThat(header).isEqualTo(Files.readAllLines(clinicCsv).get(0));
    String line = Files.readAllLines(a).get(1);
    assertThat(line).matches("P\\d{6},\\d+,[FM],(yes|no),\\d{4}-\\d{2}-\\d{2},.*");
  }

  @Test
  void sampleToStandardOutputWritesTheFilesBytesAndNothingElse() throws IOException {
    Path f = dir.resolve("stdout-ref.csv");
    assertThat(run("sample", clinicModel.toString(), "-n", "20000", "-o", f.toString(), "--seed",
        "9", "-q", "--no-sign").code()).isZero();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Run r = runWithStdout(bytes, "sample", clinicModel.toString(), "-n", "20000", "-o", "-",
        "--seed", "9", "-q");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(bytes.toByteArray()).isEqualTo(Files.readAllBytes(f));
    // messages go to standard error; no manifest, no signing key needed
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("wrote 20,000 rows to standard output");
    assertThat(dir.resolve("-.manifest.json")).doesNotExist();
    assertThat(dir.resolve("-")).doesNotExist();
  }

  @Test
  void sampleToStandardOutputAsJsonLinesWritesTheFilesBytes() throws IOException {
    Path f = dir.resolve("stdout-ref.jsonl");
    assertThat(run("sample", clinicModel.toString(), "-n", "3000", "-o", f.toString(), "--seed",
        "9", "-q", "--no-sign").code()).isZero();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Run r = runWithStdout(bytes, "sample", clinicModel.toString(), "-n", "3000", "-o", "-",
        "--format", "jsonl", "--seed", "9", "-q");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(bytes.toByteArray()).isEqualTo(Files.readAllBytes(f));
    assertThat(new String(bytes.toByteArray(), StandardCharsets.UTF_8)).startsWith("{\"");
  }

  @Test
  void sampleRefusesAFormatItCannotWrite() {
    Run withFile = run("sample", clinicModel.toString(), "-n", "10", "-o",
        dir.resolve("x.csv").toString(), "--format", "jsonl", "-q");
    assertThat(withFile.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(withFile.err()).contains("--format is for -o -").doesNotContain("Exception");
    assertThat(dir.resolve("x.csv")).doesNotExist();
    Run unknown = run("sample", clinicModel.toString(), "-n", "10", "-o", "-", "--format", "xml",
        "-q");
    assertThat(unknown.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(unknown.err()).contains("unknown --format xml").contains("csv, tsv or jsonl");
  }

  @Test
  void sampleToStandardOutputStopsWhenItsReaderHasGone() {
    // a reader that takes 100 kB and closes the pipe, like head
    int[] refused = new int[1];
    OutputStream pipe = new OutputStream() {
      long taken;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (taken + len > 100_000) {
          refused[0]++;
          throw new IOException("Broken pipe");
        }
        taken += len;
      }
    };
    Run r = runWithStdout(pipe, "sample", clinicModel.toString(), "-n", "50000000", "-o", "-",
        "-q");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("wrote").doesNotContain("Exception");
    // sampling stopped at the first refused write instead of drawing 50 million rows
    assertThat(refused[0]).isEqualTo(1);
  }

  @Test
  void sampleToParquetReadsBack() {
    Path p = dir.resolve("out.parquet");
    Run r = run("sample", clinicModel.toString(), "-n", "5000", "-o", p.toString(), "-q");
    assertThat(r.code()).as(r.err()).isZero();
    Table t = TableReader.read(p, ReadOptions.defaults()).table();
    assertThat(t.rowCount()).isEqualTo(5000);
    assertThat(t.schema().names()).contains("diagnosis", "cost");
  }

  @Test
  void whereAndRebalance() {
    Path w = dir.resolve("w.csv");
    Run r = run("sample", clinicModel.toString(), "-n", "2000", "-o", w.toString(), "--where",
        "diagnosis=COPD", "--where", "sex=F", "-q");
    assertThat(r.code()).as(r.err()).isZero();
    Table t = TableReader.read(w, ReadOptions.defaults()).table();
    ColumnData.Codes d = (ColumnData.Codes) t.column("diagnosis");
    ColumnData.Codes s = (ColumnData.Codes) t.column("sex");
    for (int i = 0; i < t.rowCount(); i++) {
      assertThat(d.get(i)).isEqualTo("COPD");
      assertThat(s.get(i)).isEqualTo("F");
    }
    Path rb = dir.resolve("rb.csv");
    r = run("sample", clinicModel.toString(), "-n", "16000", "-o", rb.toString(),
        "--rebalance", "diagnosis", "-q");
    assertThat(r.code()).as(r.err()).isZero();
    ColumnData.Codes dd = (ColumnData.Codes) TableReader.read(rb, ReadOptions.defaults()).table()
        .column("diagnosis");
    int[] counts = new int[dd.levels().size()];
    for (int i = 0; i < dd.size(); i++) {
      counts[dd.code(i)]++;
    }
    // 8 categories x 2000 expected each; 5 standard deviations is about +-210
    for (int c : counts) {
      assertThat(c).isBetween(1700, 2300);
    }
  }

  @Test
  void inspectAndGenerators() {
    Run r = run("inspect", clinicModel.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("trees").contains("leaves").contains("DCR share")
        .contains("rareCategoryThreshold").contains("not differentially private")
        // the demo table is small, so its two-cell columns (sex, smoker) are boosted
        .contains("boosted: 100 trees");
    Run g = run("generators");
    assertThat(g.out()).contains("trees").contains("copula").contains("independent");
  }

  /**
   * Picocli runs every help text through String.format, so a lone '%' (as in "20% of") makes
   * --help print "[picocli WARN] Could not format ..." lines; a literal percent must be "%%".
   * Checks the texts as written in the annotations, since picocli hands them back formatted.
   */
  @Test
  void everyHelpTextIsAValidFormatString() {
    List<String> bad = new ArrayList<>();
    Deque<picocli.CommandLine> todo = new ArrayDeque<>(List.of(Main.commandLine()));
    while (!todo.isEmpty()) {
      picocli.CommandLine cl = todo.pop();
      todo.addAll(cl.getSubcommands().values());
      Deque<Class<?>> classes =
          new ArrayDeque<>(List.of(cl.getCommandSpec().userObject().getClass()));
      while (!classes.isEmpty()) {
        Class<?> c = classes.pop();
        List<String> texts = new ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
          var cmd = k.getAnnotation(picocli.CommandLine.Command.class);
          if (cmd != null) {
            texts.addAll(Arrays.asList(cmd.description()));
          }
          for (var f : k.getDeclaredFields()) {
            var o = f.getAnnotation(picocli.CommandLine.Option.class);
            var p = f.getAnnotation(picocli.CommandLine.Parameters.class);
            if (o != null) {
              texts.addAll(Arrays.asList(o.description()));
            }
            if (p != null) {
              texts.addAll(Arrays.asList(p.description()));
            }
            if (f.getAnnotation(picocli.CommandLine.Mixin.class) != null) {
              classes.add(f.getType());
            }
          }
        }
        for (String t : texts) {
          try {
            String.format(t);
          } catch (java.util.IllegalFormatException e) {
            bad.add(c.getSimpleName() + ": " + t);
          }
        }
      }
    }
    assertThat(bad).isEmpty();
    Run help = run("sample", "--help");
    assertThat(help.out()).contains("(default: 20%").doesNotContain("%%");
  }

  @Test
  void evaluateWritesReportsAndGatesFail() throws IOException {
    Path synth = dir.resolve("demo/clinic_patients_synthetic.csv");
    Path rep = dir.resolve("report");
    Run ok = run("evaluate", "--real", clinicCsv.toString(), "--synthetic", synth.toString(),
        "--target", "readmitted", "--no-detection", "-o", rep.toString(), "--fail-under",
        "quality=0.8");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("quality").contains("report.html");
    assertThat(rep.resolve("report.json")).exists();
    // self-contained: inline SVG, no scripts, stylesheets or images fetched from anywhere
    assertThat(Files.readString(rep.resolve("report.html"))).contains("<svg")
        .doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("<script src");
    Run fail = run("evaluate", "--real", clinicCsv.toString(), "--synthetic", synth.toString(),
        "--no-utility", "--no-detection", "--no-privacy", "-o", dir.resolve("r2").toString(),
        "--fail-under", "quality=0.9999");
    assertThat(fail.code()).isEqualTo(Main.CHECK_FAILED);
    assertThat(fail.err()).contains("FAILED quality");
    // with a holdout: the DCR share beside that of columns drawn alone, and its excess gated
    List<String> lines = Files.readAllLines(clinicCsv);
    Path hold = dir.resolve("hold.csv");
    Path train = dir.resolve("train.csv");
    Files.write(hold, lines.subList(0, 601));
    List<String> rest = new ArrayList<>(lines.subList(601, lines.size()));
    rest.add(0, lines.get(0));
    Files.write(train, rest);
    Run dcr = run("evaluate", "--real", train.toString(), "--synthetic", synth.toString(),
        "--holdout", hold.toString(), "--no-utility", "--no-detection", "-o",
        dir.resolve("r4").toString(), "--fail-under", "dcr_share_excess=-1");
    assertThat(dcr.code()).isEqualTo(Main.CHECK_FAILED);
    assertThat(dcr.out()).containsPattern("DCR share 0\\.\\d{4} \\(columns alone 0\\.\\d{4}\\)");
    assertThat(dcr.err()).contains("FAILED dcr_share_excess");
    // the real rows as their own "synthetic" table: the detector is turned against the copies
    Run copies = run("evaluate", "--real", clinicCsv.toString(), "--synthetic",
        clinicCsv.toString(), "--no-utility", "--no-privacy", "-o", dir.resolve("r5").toString());
    assertThat(copies.code()).as(copies.err()).isZero();
    assertThat(copies.out()).contains("below chance: closeness to the real rows");
    assertThat(copies.err()).contains("note: detection AUC");
    assertCleanError(run("evaluate", "--real", clinicCsv.toString(), "--synthetic",
        dir.resolve("nope.csv").toString(), "-o", dir.resolve("r3").toString()), "nope.csv");
    // a synthetic table without some of the real columns: named, and no internal file name
    Path cut = dir.resolve("cut.csv");
    Files.write(cut, Files.readAllLines(synth).stream()
        .map(l -> l.substring(0, l.indexOf(','))).toList());
    Run missing = run("evaluate", "--real", clinicCsv.toString(), "--synthetic", cut.toString(),
        "-o", dir.resolve("r6").toString());
    assertThat(missing.code()).as(missing.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(missing.err()).contains("error: the synthetic table lacks the real table's columns")
        .contains("the real table names columns that cut.csv does not have")
        .doesNotContain("ersatz-eval").doesNotContain(".metadata.json")
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void privacyGateDropsCopiesAndStillDeliversTheRowCount() throws IOException {
    Path out = dir.resolve("gated.csv");
    Run r = run("sample", clinicModel.toString(), "-n", "3000", "-o", out.toString(),
        "--privacy-gate", "--reference", clinicCsv.toString(), "-q");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("privacy gate: checked").contains("dropped");
    assertThat(Files.readAllLines(out)).hasSize(3001);
    assertCleanError(run("sample", clinicModel.toString(), "-n", "10", "-o",
        dir.resolve("g2.csv").toString(), "--privacy-gate"), "--reference");
    assertCleanError(run("sample", clinicModel.toString(), "-n", "10", "-o",
        dir.resolve("g3.csv").toString(), "--gate-k", "3"), "--privacy-gate");
    assertCleanError(run("sample", clinicModel.toString(), "-n", "10", "-o",
        dir.resolve("g4.csv").toString(), "--privacy-gate", "--reference", clinicCsv.toString(),
        "--gate-k", "-1"), "must be >= 0");
    // the manifest records the rule
    Run k = run("sample", clinicModel.toString(), "-n", "200", "-o",
        dir.resolve("g5.csv").toString(), "--privacy-gate", "--reference", clinicCsv.toString(),
        "--gate-k", "0", "-q");
    assertThat(k.code()).as(k.err()).isZero();
    assertThat(Files.readString(dir.resolve("g5.csv.manifest.json")))
        .contains("\"sharedCopiesPassAt\": 0");
  }

  // ---------------------------------------------------------------- bad input

  private void assertCleanError(Run r, String... fragments) {
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(r.err()).startsWith("error: ");
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private Run fit(Path data) {
    return run("fit", data.toString(), "-o", dir.resolve("bad.ersatz").toString(), "-q");
  }

  @Test
  void badTablesGiveClearErrorsAndNoModel() throws IOException {
    assertCleanError(fit(dir.resolve("missing.csv")), "missing.csv");
    assertCleanError(fit(write("empty.csv", "")), "empty.csv");
    assertCleanError(fit(write("header.csv", "a,b,c\n")), "header.csv");
    assertCleanError(fit(write("ragged.csv", "a,b\n1,2\n3,4\n5,6,7\n8,9\n")), "ragged.csv",
        "line 4");
    Path bin = dir.resolve("latin1.csv");
    Files.write(bin, new byte[] {'a', ',', 'b', '\n', '1', ',', (byte) 0xE9, '\n'});
    assertCleanError(fit(bin), "latin1.csv", "UTF-8");
    assertThat(dir.resolve("bad.ersatz")).doesNotExist();
  }

  @Test
  void awkwardButValidTablesFit() throws IOException {
    StringBuilder sb = new StringBuilder("id,empty,constant,x,big\n");
    for (int i = 0; i < 2000; i++) {
      sb.append(i).append(",,7,").append(i % 13).append(",v").append(i * 7919 % 100003)
          .append('\n');
    }
    Path p = write("awkward.csv", sb.toString());
    Path m = dir.resolve("awk.ersatz");
    Run r = run("fit", p.toString(), "-o", m.toString(), "-q");
    assertThat(r.code()).as(r.err()).isZero();
    Path o = dir.resolve("awk.csv");
    assertThat(run("sample", m.toString(), "-n", "100", "-o", o.toString(), "-q").code())
        .isZero();
    List<String> lines = Files.readAllLines(o);
    assertThat(lines).hasSize(101);
    assertThat(lines.get(1).split(",", -1)[1]).isEmpty();
    assertThat(lines.get(1).split(",", -1)[2]).isEqualTo("7");
  }

  /** Districts within regions: fit names the option, and with it every pair is a real one. */
  @Test
  void nestedCategoriesAreNamedAndKeptWithTheOption() throws IOException {
    StringBuilder sb = new StringBuilder("region,x,district\n");
    java.util.Random rnd = new java.util.Random(3);
    java.util.Set<String> real = new java.util.HashSet<>();
    for (int i = 0; i < 3000; i++) {
      int region = Math.min(9, (int) (-Math.log(rnd.nextDouble()) * 3));
      String district = "d" + ((3 * region + rnd.nextInt(6)) % 25);
      real.add("r" + region + "," + district);
      sb.append('r').append(region).append(',').append(rnd.nextInt(100)).append(',')
          .append(district).append('\n');
    }
    Path p = write("regions.csv", sb.toString());
    Path m = dir.resolve("regions.ersatz");
    Run plain = run("fit", p.toString(), "-o", m.toString(), "--no-catalog");
    assertThat(plain.code()).as(plain.err()).isZero();
    assertThat(plain.out()).contains("note: nested categories found (district in region")
        .contains("-O nest=1");
    Run nested = run("fit", p.toString(), "-o", m.toString(), "--no-catalog", "-O", "nest=1");
    assertThat(nested.code()).as(nested.err()).isZero();
    assertThat(nested.out()).doesNotContain("nested categories found");
    assertThat(run("inspect", m.toString()).out()).contains("nested in region");
    Path o = dir.resolve("regions_out.csv");
    assertThat(run("sample", m.toString(), "-n", "5000", "-o", o.toString(), "-q", "--no-sign",
        "--no-catalog").code()).isZero();
    List<String> lines = Files.readAllLines(o);
    assertThat(lines.subList(1, lines.size())).allSatisfy(l -> {
      String[] f = l.split(",");
      assertThat(real).contains(f[0] + "," + f[2]);
    });
  }

  /** A numeric column filled in for a handful of rows must not leak those rows' values. */
  @Test
  void aNumericColumnWithTooFewValuesComesOutEmpty() throws IOException {
    StringBuilder sb = new StringBuilder("x,bonus,zeros\n");
    for (int i = 0; i < 300; i++) {
      sb.append(i % 17).append(',').append(i == 77 ? "123457" : i == 90 ? "73311" : "")
          .append(',').append(i < 6 ? "0" : i == 6 ? "5" : "").append('\n');
    }
    Path p = write("sparse.csv", sb.toString());
    Path m = dir.resolve("sparse.ersatz");
    Run r = run("fit", p.toString(), "-o", m.toString(), "-q", "--no-catalog");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("column 'bonus' has only 2 values; fewer than 10")
        .doesNotContain("'x'").doesNotContain("'zeros'");
    Path o = dir.resolve("sparse_out.csv");
    assertThat(run("sample", m.toString(), "-n", "3000", "-o", o.toString(), "-q",
        "--no-sign", "--no-catalog").code()).isZero();
    List<String> lines = Files.readAllLines(o);
    assertThat(lines).hasSize(3001);
    // bonus is empty; zeros (six 0s, one 5) keeps only the 0 that six rows share
    assertThat(lines.subList(1, lines.size()))
        .allSatisfy(l -> assertThat(l).matches("\\d+,,0?"));
    assertThat(lines).anyMatch(l -> l.endsWith(",0"));
    Run where = run("sample", m.toString(), "-n", "5", "-o", o.toString(), "-q", "--no-sign",
        "--no-catalog", "--where", "bonus=5");
    assertThat(where.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(where.err()).contains("--where bonus=5: the model produces no values for 'bonus'");
    // with k = 1 the user allows single rows: no warning
    Run k1 = run("fit", p.toString(), "-o", m.toString(), "-q", "--no-catalog", "-O", "k=1");
    assertThat(k1.err()).doesNotContain("has only");
  }

  /** Running out of heap (a wide or long table on a small machine) is one line, not a trace. */
  @Test
  void outOfMemoryIsOneClearLine() {
    StringWriter err = new StringWriter();
    int code = Main.guard(() -> {
      throw new OutOfMemoryError("Java heap space");
    }, new PrintWriter(err, true));
    assertThat(code).isEqualTo(Main.INTERNAL);
    assertThat(err.toString()).startsWith("error: Java ran out of memory")
        .contains("-Xmx8g").doesNotContain("\tat ");
    assertThat(Main.guard(() -> 0, new PrintWriter(err, true))).isZero();
  }

  @Test
  void badMetadataModelsAndOptions() throws IOException {
    Path meta = write("bad.meta.json", "{\"format\":\"ersatz-metadata\",\"version\":1,"
        + "\"columns\":[{\"name\":\"nosuch\",\"type\":\"integer\"}]}");
    Run r = run("fit", clinicCsv.toString(), "--metadata", meta.toString(), "-o",
        dir.resolve("x.ersatz").toString());
    assertCleanError(r, "nosuch");

    Path corrupt = write("corrupt.ersatz", "this is not a model");
    assertCleanError(run("sample", corrupt.toString(), "-n", "10", "-o",
        dir.resolve("c.csv").toString()), "corrupt.ersatz");
    byte[] good = Files.readAllBytes(clinicModel);
    Path truncated = dir.resolve("truncated.ersatz");
    Files.write(truncated, Arrays.copyOf(good, good.length / 2));
    assertCleanError(run("sample", truncated.toString(), "-n", "10", "-o",
        dir.resolve("t.csv").toString()), "truncated.ersatz");

    Path out = dir.resolve("never.csv");
    assertCleanError(run("sample", clinicModel.toString(), "-n", "0", "-o", out.toString()),
        "at least 1");
    assertCleanError(run("sample", clinicModel.toString(), "-n", "-5", "-o", out.toString()),
        "-5");
    assertCleanError(run("sample", clinicModel.toString(), "-n", "10", "-o", out.toString(),
        "--where", "nosuch=1"), "nosuch");
    assertCleanError(run("sample", clinicModel.toString(), "-n", "10", "-o", out.toString(),
        "--where", "diagnosis=flu"), "diagnosis");
    assertCleanError(run("sample", clinicModel.toString(), "-n", "10", "-o", out.toString(),
        "--where", "age=300"), "age");
    assertCleanError(run("fit", clinicCsv.toString(), "-o", dir.resolve("g.ersatz").toString(),
        "-g", "nosuch"), "nosuch", "trees");
    assertCleanError(run("sample", clinicModel.toString(), "-n", "10", "-o",
        dir.resolve("no/such/dir/x.csv").toString()));
    assertThat(out).doesNotExist();
    // a wrong output is named before the input is even read (a fit may take minutes): the
    // input here does not exist, and the error is about the output
    assertCleanError(run("fit", dir.resolve("absent.csv").toString(), "-o",
        dir.resolve("no/such/dir/m.ersatz").toString()), "no/such/dir", "does not exist");
    assertCleanError(run("evaluate", "--real", dir.resolve("absent.csv").toString(),
        "--synthetic", clinicCsv.toString(), "-o", clinicCsv.toString()), "it is a file");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.filter(p -> p.getFileName().toString().contains(".tmp"))).isEmpty();
    }
  }

  @Test
  void censusFitsAndSamplesInTheInputsFormat() throws IOException {
    assumeTrue(Fixtures.sharedData().isPresent(), "../shared/data is absent: skipping census");
    Path census = Fixtures.sharedData().get().resolve("census.csv.gz");
    Path m = dir.resolve("census.ersatz");
    Run f = run("fit", census.toString(), "-o", m.toString(), "-q");
    assertThat(f.code()).as(f.err()).isZero();
    Path o = dir.resolve("census_synth.csv");
    assertThat(run("sample", m.toString(), "-n", "30000", "-o", o.toString(), "-q").code())
        .isZero();
    Table real = TableReader.read(census, ReadOptions.defaults()).table();
    Table synth = TableReader.read(o, ReadOptions.defaults()).table();
    assertThat(synth.schema()).isEqualTo(real.schema());
    assertThat(synth.rowCount()).isEqualTo(30000);
  }

  @Test
  void creditcardFitsAndSamples() {
    assumeTrue(Fixtures.sharedData().isPresent(), "../shared/data is absent: skipping");
    Path data = Fixtures.sharedData().get().resolve("creditcard_default.csv.gz");
    Path m = dir.resolve("cc.ersatz");
    assertThat(run("fit", data.toString(), "-o", m.toString(), "-q").code()).isZero();
    Path o = dir.resolve("cc.parquet");
    assertThat(run("sample", m.toString(), "-n", "10000", "-o", o.toString(), "-q").code())
        .isZero();
    Table real = TableReader.read(data, ReadOptions.defaults()).table();
    Table synth = TableReader.read(o, ReadOptions.defaults()).table();
    assertThat(synth.schema().names()).isEqualTo(real.schema().names());
  }
}
