package dev.ersatz.cli;

import dev.ersatz.core.demo.ClinicPatients;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.table.ColumnData;
import dev.ersatz.core.table.Table;
import dev.ersatz.io.Metadata;
import dev.ersatz.io.ModelFiles;
import dev.ersatz.io.ReadOptions;
import dev.ersatz.io.ReadResult;
import dev.ersatz.io.SampleToFile;
import dev.ersatz.io.Sinks;
import dev.ersatz.io.TableReader;
import dev.ersatz.io.TableSink;
import dev.ersatz.provenance.Manifests;
import dev.ersatz.provenance.SigningKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ersatz demo}: profile, fit and sample in one go, on a built-in table of clinic patients
 * made in code (or on the user's file), then a side-by-side of real and synthetic statistics.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run profile -> fit -> sample on built-in clinic-patient data (or --input) and "
        + "compare real and synthetic statistics.")
public final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--input", paramLabel = "DATA", description = "your own CSV, Parquet or JSON table")
  Path input;

  @Option(names = "--out", defaultValue = "ersatz-demo", paramLabel = "DIR",
      description = "where to write the files (default: ${DEFAULT-VALUE})")
  Path outDir;

  @Option(names = "--rows", defaultValue = "5000",
      description = "rows of built-in data, and rows to sample (default: ${DEFAULT-VALUE})")
  int rows;

  @Option(names = {"-g", "--generator"}, defaultValue = FitCommand.DEFAULT_GENERATOR)
  String generator;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = {"-q", "--quiet"}, description = "no progress bars")
  boolean quiet;

  @Option(names = "--no-sign", description = "write no signed manifest beside the synthetic data")
  boolean noSign;

  @picocli.CommandLine.Mixin
  Governance.KeyDirOption keys;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (rows < 1) {
      throw new dev.ersatz.core.UserInputException("--rows must be at least 1 but was " + rows);
    }
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + outDir + ": " + e.getMessage(), e);
    }
    Path data;
    if (input == null) {
      data = outDir.resolve("clinic_patients.csv");
      out.printf(Locale.ROOT, "[1/4] made %s rows of built-in clinic-patient data (seed %d) -> %s%n",
          Console.count(rows), seed, data);
      Table t = ClinicPatients.generate(rows, seed);
      try (TableSink sink = Sinks.open(data, t.schema())) {
        sink.write(sink.encode(t));
        sink.commit();
      }
    } else {
      data = input;
      out.println("[1/4] using your table " + data);
    }
    out.flush();
    String stem = ProfileCommand.defaultName(data).replace(".metadata.json", "");
    ReadResult rr = TableReader.read(data, ReadOptions.defaults());
    Path meta = outDir.resolve(stem + ".metadata.json");
    out.println("[2/4] profile (types inferred from the file):");
    ProfileCommand.print(rr, out, err);
    Metadata.of(rr.table().schema()).write(meta);
    out.flush();
    Path modelFile = outDir.resolve(stem + ".ersatz");
    // the key first, as in sample: a key that cannot be created fails before any work
    SigningKey signer = noSign ? null : Governance.signingKey(keys.dir(), err);
    out.println("[3/4] fit generator '" + generator + "'");
    out.flush();
    err.flush();
    FittedModel model = FitCommand.fit(data, null, generator, Map.of(), seed, quiet,
        new PrintWriter(java.io.Writer.nullWriter()));
    ModelFiles.write(modelFile, model);
    Path synth = outDir.resolve(stem + "_synthetic.csv");
    long n = input == null ? rows : rr.table().rowCount();
    SampleToFile.Result r = SampleCommand.run(model, n, synth, seed, List.of(), null, null,
        quiet);
    out.printf(Locale.ROOT, "[4/4] sampled %s synthetic rows in %.2f s%n", Console.count(n),
        r.seconds());
    Path manifest = null;
    if (signer != null) {
      // the chain reaches the real table: the demo knows it, no catalog is needed
      manifest = Manifests.write(synth, Manifests.builder(synth).provenance(model.provenance())
          .modelFile(modelFile).sourceFile(data).seed(seed).rows(r.rows())
          .outputSchema(model.schema()).build(), signer);
    }
    Table synthetic = TableReader.read(synth, new ReadOptions(meta, 0)).table();
    out.println();
    compare(rr.table(), synthetic, out);
    out.println();
    out.println("files:");
    out.println("  real data      " + data);
    out.println("  metadata       " + meta);
    out.println("  model          " + modelFile + "  (see: ersatz inspect " + modelFile + ")");
    out.println("  synthetic data " + synth);
    if (manifest != null) {
      out.println("  manifest       " + manifest + "  (see: ersatz verify " + synth + ")");
    }
    out.flush();
    return Main.OK;
  }

  /** A side-by-side of aggregate statistics (never individual values). */
  static void compare(Table real, Table synth, PrintWriter out) {
    out.printf(Locale.ROOT, "%-18s %-11s %21s   %21s%n", "column", "statistic", "real",
        "synthetic");
    for (int i = 0; i < real.schema().size(); i++) {
      String name = real.schema().column(i).name();
      ColumnData a = real.column(i);
      ColumnData b = synth.column(i);
      if (a instanceof ColumnData.Numbers x && b instanceof ColumnData.Numbers y
          && real.schema().column(i).type() instanceof dev.ersatz.core.schema.ColumnType.Numeric) {
        double[] sa = stats(x);
        double[] sb = stats(y);
        out.printf(Locale.ROOT, "%-18s %-11s %10.2f (sd %7.2f)   %10.2f (sd %7.2f)%n", name,
            "mean", sa[0], sa[1], sb[0], sb[1]);
      } else if (a instanceof ColumnData.Codes x && b instanceof ColumnData.Codes y) {
        out.printf(Locale.ROOT, "%-18s %-11s %21s   %21s%n", name, "top share",
            String.format(Locale.ROOT, "%.1f%% of %d values", 100 * topShare(x), used(x)),
            String.format(Locale.ROOT, "%.1f%% of %d values", 100 * topShare(y), used(y)));
      }
      boolean modelled = real.schema().column(i).type().modelled();
      if (!modelled) {
        out.printf(Locale.ROOT, "%-18s %-11s %21s%n", name, "not learned",
            real.schema().column(i).type().kind() + " column");
      } else if (real.missingRate(i) > 0) {
        out.printf(Locale.ROOT, "%-18s %-11s %20.1f%%   %20.1f%%%n", "", "missing",
            100 * real.missingRate(i), 100 * synth.missingRate(i));
      }
    }
    // the strongest numeric relationships in the real data, and what became of them
    List<double[]> pairs = new ArrayList<>();
    for (int i = 0; i < real.schema().size(); i++) {
      for (int j = 0; j < i; j++) {
        if (real.column(i) instanceof ColumnData.Numbers a
            && real.column(j) instanceof ColumnData.Numbers b) {
          double c = corr(a, b);
          if (!Double.isNaN(c)) {
            pairs.add(new double[] {Math.abs(c), i, j, c});
          }
        }
      }
    }
    pairs.sort((p, q) -> Double.compare(q[0], p[0]));
    if (!pairs.isEmpty()) {
      out.println();
      out.printf(Locale.ROOT, "%-38s %10s %12s%n", "strongest correlations", "real", "synthetic");
      for (int k = 0; k < Math.min(4, pairs.size()); k++) {
        int i = (int) pairs.get(k)[1];
        int j = (int) pairs.get(k)[2];
        double s = corr((ColumnData.Numbers) synth.column(i), (ColumnData.Numbers) synth.column(j));
        out.printf(Locale.ROOT, "%-38s %+10.3f %+12.3f%n",
            real.schema().column(i).name() + " ~ " + real.schema().column(j).name(),
            pairs.get(k)[3], s);
      }
    }
  }

  private static double[] stats(ColumnData.Numbers x) {
    double s = 0;
    double ss = 0;
    int n = 0;
    for (int r = 0; r < x.size(); r++) {
      if (!x.isMissing(r)) {
        s += x.get(r);
        ss += x.get(r) * x.get(r);
        n++;
      }
    }
    double m = n > 0 ? s / n : Double.NaN;
    return new double[] {m, n > 1 ? Math.sqrt(Math.max(0, ss / n - m * m)) : Double.NaN};
  }

  private static double topShare(ColumnData.Codes x) {
    int[] c = new int[x.levels().size() + 1];
    int n = 0;
    for (int r = 0; r < x.size(); r++) {
      if (!x.isMissing(r)) {
        c[x.code(r)]++;
        n++;
      }
    }
    int max = 0;
    for (int v : c) {
      max = Math.max(max, v);
    }
    return n > 0 ? max / (double) n : 0;
  }

  private static int used(ColumnData.Codes x) {
    boolean[] seen = new boolean[x.levels().size()];
    int u = 0;
    for (int r = 0; r < x.size(); r++) {
      if (!x.isMissing(r) && !seen[x.code(r)]) {
        seen[x.code(r)] = true;
        u++;
      }
    }
    return u;
  }

  private static double corr(ColumnData.Numbers a, ColumnData.Numbers b) {
    double sa = 0;
    double sb = 0;
    double saa = 0;
    double sbb = 0;
    double sab = 0;
    int n = 0;
    for (int r = 0; r < a.size(); r++) {
      double x = a.get(r);
      double y = b.get(r);
      if (Double.isNaN(x) || Double.isNaN(y)) {
        continue;
      }
      sa += x;
      sb += y;
      saa += x * x;
      sbb += y * y;
      sab += x * y;
      n++;
    }
    if (n < 3) {
      return Double.NaN;
    }
    double cov = sab / n - (sa / n) * (sb / n);
    double va = saa / n - (sa / n) * (sa / n);
    double vb = sbb / n - (sb / n) * (sb / n);
    return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : Double.NaN;
  }

}
