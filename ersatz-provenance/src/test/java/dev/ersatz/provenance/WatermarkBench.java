package dev.ersatz.provenance;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.core.table.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures the watermark's detection power and false positive rate over many keyed trials on
 * the shared census and creditcard_default splits, and writes the figures as Markdown.
 *
 * <p>Run from the repository root (after {@code ./mvnw -B -q -o -pl ersatz-provenance -am
 * test-compile}):
 * <pre>
 * java -cp "$(cat ersatz-provenance/target/test-classpath.txt)" \
 *     dev.ersatz.provenance.WatermarkBench 1000 ersatz-provenance/BENCHMARKS-gov.md
 * </pre>
 * Arguments: trials (default 1000), output file ("-" or absent: print only), data folder
 * (default ../shared/data), datasets (default census,creditcard_default). Each trial draws a new key; a "synthetic batch" of 3,000 rows is drawn from
 * the holdout split (a stand-in for a high-fidelity generator's output: no generator is on this
 * branch), watermarked, then attacked: shuffled, subsampled to 1,000 rows, half of the columns
 * (chosen at random) dropped, written as CSV and re-read with types re-inferred.
 */
public final class WatermarkBench {
  static final int BATCH = 3000;

  private WatermarkBench() {}

  static WatermarkKey key(long trial) {
    RandomSource r = RandomSource.of(0x5EED_0000L + trial);
    byte[] b = new byte[32];
    for (int i = 0; i < 32; i += 8) {
      long x = r.nextLong();
      for (int k = 0; k < 8; k++) {
        b[i + k] = (byte) (x >>> (8 * k));
      }
    }
    return WatermarkKey.of(b);
  }

  /** Figures for one dataset. */
  record Result(String name, int trials, double[] pAttacked, double[] pFull, double[] pRealSub,
      double[] pRealFull, double[] pSynth, double[] pWrongKey, double[] pAttackedSynth,
      long unitsAttackedMedian, double seconds, boolean[] keptFine) {}

  public static void main(String[] args) throws IOException {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Path out = args.length > 1 && !args[1].equals("-") ? Path.of(args[1]) : null;
    Path data = args.length > 2 ? Path.of(args[2]) : Path.of("../shared/data");
    List<Result> results = new ArrayList<>();
    List<String> names = args.length > 3 ? List.of(args[3].split(","))
        : List.of("census", "creditcard_default");
    for (String name : names) {
      Table train = TestCsv.read(data.resolve("splits/" + name + "_train.csv.gz"));
      Table holdout = TestCsv.read(data.resolve("splits/" + name + "_holdout.csv.gz"));
      results.add(run(name, train, holdout, trials));
      System.err.println(summary(results.get(results.size() - 1)));
    }
    String md = markdown(results, trials);
    System.out.println(md);
    if (out != null) {
      Files.writeString(out, md, StandardCharsets.UTF_8);
    }
  }

  static Result run(String name, Table train, Table holdout, int trials) throws IOException {
    long t0 = System.nanoTime();
    double[] pAtt = new double[trials];
    double[] pFull = new double[trials];
    double[] pRealSub = new double[trials];
    int fullReal = Math.min(trials, 20);
    double[] pRealFull = new double[fullReal];
    double[] pSynth = new double[trials];
    double[] pWrong = new double[trials];
    double[] pAttSynth = new double[trials];
    long[] units = new long[trials];
    boolean[] keptFine = new boolean[trials];
    Table synthPool = TestCsv.independentMarginals(train, 20_000, RandomSource.of(7));
    for (int t = 0; t < trials; t++) {
      WatermarkKey key = key(t);
      RandomSource rng = RandomSource.of(1_000_003L * (t + 1));
      Table batch = TestCsv.sampleRows(holdout, BATCH, rng.split("batch"));
      Table wm = Watermark.embed(batch, key);
      pFull[t] = Watermark.detect(wm, key).pValue();
      Table attacked = TestCsv.roundTrip(TestCsv.dropHalfColumns(
          TestCsv.sampleRows(wm, 1000, rng.split("sub")), rng.split("cols")));
      Watermark.Detection d = Watermark.detect(attacked, key);
      pAtt[t] = d.pValue();
      keptFine[t] = hasFineColumn(attacked);
      units[t] = d.units();
      pWrong[t] = Watermark.detect(attacked, key(t + 1_000_000)).pValue();
      pRealSub[t] = Watermark.detect(TestCsv.sampleRows(train, 1000, rng.split("real")), key)
          .pValue();
      if (t < fullReal) {
        pRealFull[t] = Watermark.detect(train, key).pValue();
      }
      Table synth = TestCsv.sampleRows(synthPool, BATCH, rng.split("synth"));
      pSynth[t] = Watermark.detect(TestCsv.sampleRows(synth, 1000, rng.split("ssub")), key)
          .pValue();
      Table synthWm = Watermark.embed(synth, key);
      pAttSynth[t] = Watermark.detect(TestCsv.roundTrip(TestCsv.dropHalfColumns(
          TestCsv.sampleRows(synthWm, 1000, rng.split("ssub2")), rng.split("scols"))), key)
          .pValue();
    }
    Arrays.sort(units);
    return new Result(name, trials, pAtt, pFull, pRealSub, pRealFull, pSynth, pWrong, pAttSynth,
        units[trials / 2], (System.nanoTime() - t0) / 1e9, keptFine);
  }

  /** Whether some numeric column holds mostly fine values (at least 4 significant digits). */
  static boolean hasFineColumn(Table t) {
    for (int j = 0; j < t.schema().size(); j++) {
      if (t.column(j) instanceof dev.ersatz.core.table.ColumnData.Numbers) {
        var nums = (dev.ersatz.core.table.ColumnData.Numbers) t.column(j);
        int fine = 0;
        for (int r = 0; r < t.rowCount(); r++) {
          if (Watermark.fine(nums.get(r))) {
            fine++;
          }
        }
        if (fine * 2 > t.rowCount()) {
          return true;
        }
      }
    }
    return false;
  }

  static double[] select(double[] p, boolean[] mask, boolean want) {
    int c = 0;
    for (boolean b : mask) {
      c += b == want ? 1 : 0;
    }
    double[] out = new double[c];
    int k = 0;
    for (int i = 0; i < p.length; i++) {
      if (mask[i] == want) {
        out[k++] = p[i];
      }
    }
    return out;
  }

  static double share(double[] p, double alpha) {
    int c = 0;
    for (double x : p) {
      if (x <= alpha) {
        c++;
      }
    }
    return p.length == 0 ? 0 : c / (double) p.length;
  }

  static double quantile(double[] p, double q) {
    if (p.length == 0) {
      return Double.NaN;
    }
    double[] s = p.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
  }

  static String summary(Result r) {
    return String.format(Locale.ROOT, "%s: power(attacked)=%.3f power(full)=%.3f "
        + "FPR real=%.4f synth=%.4f wrongKey=%.4f  median units=%d  %.1fs", r.name(),
        share(r.pAttacked(), 1e-6), share(r.pFull(), 1e-6), share(r.pRealSub(), 1e-6),
        share(r.pSynth(), 1e-6), share(r.pWrongKey(), 1e-6), r.unitsAttackedMedian(),
        r.seconds());
  }

  static String markdown(List<Result> rs, int trials) {
    StringBuilder sb = new StringBuilder();
    sb.append("| dataset | table tested | key | trials | detected at p <= 1e-6 | p <= 0.01 "
        + "| median p | min p |\n|---|---|---|---|---|---|---|---|\n");
    for (Result r : rs) {
      row(sb, r.name(), "watermarked batch (3,000 holdout rows)", "right", r.pFull());
      row(sb, r.name(), "attacked: 1,000 rows, half the columns, via CSV", "right",
          r.pAttacked());
      row(sb, r.name(), "... of which a column of fine numbers was kept", "right",
          select(r.pAttacked(), r.keptFine(), true));
      row(sb, r.name(), "... of which no column of fine numbers was kept", "right",
          select(r.pAttacked(), r.keptFine(), false));
      row(sb, r.name(), "attacked independent-marginals synthetic batch", "right",
          r.pAttackedSynth());
      row(sb, r.name(), "attacked watermarked table", "wrong", r.pWrongKey());
      row(sb, r.name(), "real train split, 1,000-row subsample", "any", r.pRealSub());
      row(sb, r.name(), "real train split, all rows", "any", r.pRealFull());
      row(sb, r.name(), "un-watermarked synthetic, 1,000 rows", "any", r.pSynth());
    }
    sb.append('\n');
    for (Result r : rs) {
      sb.append(String.format(Locale.ROOT, "- %s: median distinct units after the attack %d; "
          + "%.0f s for the whole run%n", r.name(), r.unitsAttackedMedian(), r.seconds()));
    }
    return sb.toString();
  }

  static void row(StringBuilder sb, String name, String what, String key, double[] p) {
    sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.4f | %.4f | %.3g | %.3g |%n",
        name, what, key, p.length, share(p, 1e-6), share(p, 0.01), quantile(p, 0.5),
        quantile(p, 0.0)));
  }
}
