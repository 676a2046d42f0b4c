package dev.ersatz.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.json.JsonMap;
import dev.ersatz.eval.Evaluation;
import dev.ersatz.eval.EvaluationReport;
import dev.ersatz.eval.Gates;
import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  static Table table(int n, long seed) {
    RandomSource r = RandomSource.of(seed);
    double[] x = new double[n];
    double[] y = new double[n];
    int[] g = new int[n];
    int[] label = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextGaussian() * 10 + 40;
      y[i] = x[i] * 0.5 + r.nextGaussian() * 3;
      g[i] = r.nextInt(4);
      label[i] = x[i] + 5 * g[i] + r.nextGaussian() * 5 > 50 ? 1 : 0;
    }
    return Table.of(Schema.of(List.of(Column.of("age", ColumnType.Numeric.ofDecimal(2, false)),
        Column.of("hours <&> week", ColumnType.Numeric.ofDecimal(2, false)),
        Column.of("group", new ColumnType.Categorical()),
        Column.of("label", new ColumnType.Categorical()))),
        List.of(ColumnData.Numbers.adopt(x), ColumnData.Numbers.adopt(y),
            ColumnData.Codes.adopt(g, List.of("a", "b", "c", "<script>")),
            ColumnData.Codes.adopt(label, List.of("no", "yes"))));
  }

  @Test
  void writesJsonAndSelfContainedHtml(@TempDir Path dir) throws Exception {
    EvaluationReport r = Evaluation.builder().real(table(1500, 1)).synthetic(table(1500, 2))
        .holdout(table(500, 3)).target("label").seed(1)
        .gates(Gates.parse("quality=0.99,dcr_share=0.6")).build().run();
    Path out = dir.resolve("report");
    ReportWriter.write(r, out);
    JsonMap json = Json.parseObject(Files.readString(out.resolve("report.json"),
        StandardCharsets.UTF_8));
    assertThat(json.raw()).containsKeys("fidelity", "fidelity_ceiling", "utility",
        "detection", "privacy", "gates", "headline", "plots", "warnings", "notes");
    String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
    // self-contained: no scripts, no fetched resources (the SVG namespace is not fetched)
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://",
        "https://", "<script", "<link", "@import");
    assertThat(html).contains("Score card", "<svg", "Correlations", "Distance to the closest",
        "&lt;script&gt;", "hours &lt;&amp;&gt; week", "FAIL");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "report.json", "report.html");
    }
    renderIfChromiumIsThere(out.resolve("report.html"));
  }

  /** Renders the page headless to a PNG (kept in target/ for a person to look at). */
  private static void renderIfChromiumIsThere(Path html) throws Exception {
    String chromium = null;
    for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome")) {
      if (new File(c).canExecute()) {
        chromium = c;
      }
    }
    Assumptions.assumeTrue(chromium != null, "chromium absent: headless rendering skipped");
    Path png = Path.of("target", "report-screenshot.png").toAbsolutePath();
    Files.createDirectories(png.getParent());
    Files.deleteIfExists(png);
    Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--hide-scrollbars", "--screenshot=" + png, "--window-size=1200,3000",
        html.toUri().toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(png).exists();
    assertThat(Files.size(png)).isGreaterThan(20_000);
  }
}
