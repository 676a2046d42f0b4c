package dev.ersatz.eval.report;

import dev.ersatz.eval.EvaluationReport;
import dev.ersatz.eval.Gates;
import dev.ersatz.eval.detection.DetectionReport;
import dev.ersatz.eval.fidelity.FidelityReport;
import dev.ersatz.eval.privacy.PrivacyReport;
import dev.ersatz.eval.utility.UtilityReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link EvaluationReport} as one self-contained HTML page: inline CSS and inline
 * SVG charts, no scripts, fonts or images fetched from anywhere.
 */
final class Html {
  private static final String REAL = "#2b6cb0";
  private static final String SYN = "#dd6b20";
  private static final String HOLD = "#718096";

  private Html() {}

  static String render(EvaluationReport r) {
    StringBuilder sb = new StringBuilder(1 << 16);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>Ersatz evaluation report</title><style>")
        .append(CSS).append("</style></head><body>\n");
    sb.append("<h1>Ersatz evaluation report</h1>\n<p class=\"sub\">real ")
        .append(String.format(Locale.ROOT, "%,d", r.rowsReal())).append(" rows &middot; synthetic ")
        .append(String.format(Locale.ROOT, "%,d", r.rowsSynthetic())).append(" rows")
        .append(r.rowsHoldout() > 0 ? String.format(Locale.ROOT, " &middot; holdout %,d rows",
            r.rowsHoldout()) : "")
        .append(" &middot; ").append(r.columnKinds().size()).append(" columns &middot; seed ")
        .append(r.seed()).append("</p>\n");
    scoreCard(sb, r);
    if (!r.warnings().isEmpty()) {
      sb.append("<div class=\"warn\"><b>Warnings</b><ul>");
      for (String w : r.warnings()) {
        sb.append("<li>").append(esc(w)).append("</li>");
      }
      sb.append("</ul></div>\n");
    }
    fidelity(sb, r);
    utility(sb, r.utility());
    detection(sb, r.detection());
    privacy(sb, r);
    if (!r.notes().isEmpty()) {
      sb.append("<h2>Notes</h2><ul class=\"notes\">");
      for (String n : r.notes()) {
        sb.append("<li>").append(esc(n)).append("</li>");
      }
      sb.append("</ul>\n");
    }
    sb.append("<p class=\"sub\">Definitions of every figure: docs/evaluation.md. Times: ");
    for (Map.Entry<String, Double> e : r.seconds().entrySet()) {
      sb.append(esc(e.getKey())).append(' ').append(num(e.getValue(), 2)).append(" s; ");
    }
    sb.append("</p>\n</body></html>\n");
    return sb.toString();
  }

  private static void scoreCard(StringBuilder sb, EvaluationReport r) {
    Map<String, Double> h = r.headline();
    sb.append("<h2>Score card</h2><div class=\"cards\">");
    card(sb, "Quality", h.get("quality"), h.get("quality_ceiling"), "holdout",
        "mean of column shapes and pair trends (SDMetrics)");
    card(sb, "Accuracy", h.get("accuracy"), h.get("accuracy_ceiling"), "holdout",
        "1 - TVD of binned 1-, 2-, 3-way distributions");
    if (r.utility() != null) {
      UtilityReport u = r.utility();
      String m = u.primaryMetric();
      card(sb, "TSTR " + m, u.tstr().get(m), u.trtr().get(m), "TRTR",
          "model trained on synthetic, tested on real");
    }
    card(sb, "Detection AUC", h.get("detection_auc"), 0.5, "ideal",
        "classifier telling real from synthetic");
    if (h.containsKey("dcr_share_marginals")) {
      card(sb, "DCR share", h.get("dcr_share"), h.get("dcr_share_marginals"), "columns alone",
          "synthetic rows closer to train than to holdout (0.5 ideal)");
    } else {
      card(sb, "DCR share", h.get("dcr_share"), 0.5, "ideal",
          "synthetic rows closer to train than to holdout");
    }
    card(sb, "Exact copies", h.get("exact_match"), h.get("exact_match_baseline"), "holdout",
        "synthetic rows equal to a training row");
    card(sb, "Membership AUC", h.get("mia_auc"), 0.5, "ideal",
        "distance attack on training membership");
    sb.append("</div>\n");
    if (!r.gates().isEmpty()) {
      sb.append("<table class=\"gates\"><tr><th>gate</th><th>rule</th><th>value</th>"
          + "<th>result</th></tr>");
      for (Gates.Result g : r.gates()) {
        sb.append("<tr class=\"").append(g.passed() ? "pass" : "fail").append("\"><td>")
            .append(esc(g.name())).append("</td><td>").append(g.upperBound() ? "&le; " : "&ge; ")
            .append(num(g.threshold(), 4)).append("</td><td>").append(num(g.value(), 4))
            .append("</td><td>").append(g.passed() ? "PASS" : "FAIL").append("</td></tr>");
      }
      sb.append("</table>\n");
    }
  }

  private static void card(StringBuilder sb, String title, Double value, Double ref,
      String refName, String help) {
    if (value == null || Double.isNaN(value)) {
      return;
    }
    sb.append("<div class=\"card\"><div class=\"t\">").append(esc(title))
        .append("</div><div class=\"v\">").append(num(value, 3)).append("</div><div class=\"r\">");
    if (ref != null && !Double.isNaN(ref)) {
      sb.append(esc(refName)).append(": ").append(num(ref, 3));
    }
    sb.append("</div><div class=\"h\">").append(esc(help)).append("</div></div>");
  }

  private static void fidelity(StringBuilder sb, EvaluationReport r) {
    FidelityReport f = r.fidelity();
    FidelityReport c = r.fidelityCeiling();
    sb.append("<h2>Fidelity</h2><table><tr><th></th><th>synthetic</th>")
        .append(c != null ? "<th>holdout (ceiling)</th>" : "").append("</tr>");
    row(sb, "quality", f.quality(), c == null ? null : c.quality());
    row(sb, "column shapes", f.columnShapes(), c == null ? null : c.columnShapes());
    row(sb, "column pair trends", f.columnPairTrends(), c == null ? null : c.columnPairTrends());
    row(sb, "accuracy", f.accuracy(), c == null ? null : c.accuracy());
    row(sb, "univariate accuracy", f.univariateAccuracy(),
        c == null ? null : c.univariateAccuracy());
    row(sb, "bivariate accuracy", f.bivariateAccuracy(), c == null ? null : c.bivariateAccuracy());
    row(sb, "trivariate accuracy (" + f.triplesUsed() + " triples)", f.trivariateAccuracy(),
        c == null ? null : c.trivariateAccuracy());
    sb.append("</table>\n<h3>Columns</h3><table><tr><th>column</th><th>kind</th><th>metric</th>"
        + "<th>score</th>").append(c != null ? "<th>ceiling</th>" : "")
        .append("<th>missing real</th><th>missing synthetic</th><th>invented rows</th></tr>");
    for (int i = 0; i < f.shapes().size(); i++) {
      FidelityReport.ColumnShape s = f.shapes().get(i);
      FidelityReport.MissingRate m = f.missing().get(i);
      FidelityReport.Invented inv = f.invented().get(i);
      sb.append("<tr><td>").append(esc(s.column())).append("</td><td>")
          .append(esc(r.columnKinds().get(s.column()))).append("</td><td>").append(s.metric())
          .append("</td><td>").append(num(s.score(), 4)).append("</td>");
      if (c != null) {
        sb.append("<td>").append(num(c.shapes().get(i).score(), 4)).append("</td>");
      }
      sb.append("<td>").append(pct(m.real())).append("</td><td>").append(pct(m.other()))
          .append("</td><td>").append(inv.rows())
          .append(inv.newLevels() > 0 ? " (" + inv.newLevels() + " new levels)" : "")
          .append("</td></tr>");
    }
    sb.append("</table>\n<h3>Distributions</h3><p class=\"legend\">").append(legend())
        .append("</p><div class=\"grid\">");
    for (EvaluationReport.Histogram hg : r.plots().columns()) {
      sb.append("<div class=\"chart\"><div class=\"ct\">").append(esc(hg.name()))
          .append("</div>");
      sb.append("continuous".equals(hg.kind()) ? histogramSvg(hg, 380, 170) : barsSvg(hg, 380));
      sb.append("</div>");
    }
    sb.append("</div>\n");
    heatmaps(sb, f);
  }

  private static String legend() {
    return "<span style=\"color:" + REAL + "\">&#9632; real</span> &nbsp; <span style=\"color:"
        + SYN + "\">&#9632; synthetic</span> &nbsp; <span style=\"color:" + HOLD
        + "\">&#9472; holdout</span>";
  }

  private static void row(StringBuilder sb, String name, double a, Double b) {
    sb.append("<tr><td>").append(esc(name)).append("</td><td>").append(num(a, 4)).append("</td>");
    if (b != null) {
      sb.append("<td>").append(num(b, 4)).append("</td>");
    }
    sb.append("</tr>");
  }

  private static void heatmaps(StringBuilder sb, FidelityReport f) {
    List<String> num = new ArrayList<>();
    Map<String, double[]> corr = new HashMap<>();
    List<String> all = new ArrayList<>();
    for (FidelityReport.ColumnShape s : f.shapes()) {
      all.add(s.column());
      if (s.metric().equals("KSComplement")) {
        num.add(s.column());
      }
    }
    Map<String, Double> score = new HashMap<>();
    for (FidelityReport.PairTrend p : f.pairs()) {
      score.put(p.column1() + "\u0000" + p.column2(), p.score());
      score.put(p.column2() + "\u0000" + p.column1(), p.score());
      if (p.metric().equals("CorrelationSimilarity")) {
        double[] v = {p.realCorrelation(), p.otherCorrelation()};
        corr.put(p.column1() + "\u0000" + p.column2(), v);
        corr.put(p.column2() + "\u0000" + p.column1(), v);
      }
    }
    if (num.size() >= 2) {
      int n = num.size();
      double[][] a = new double[n][n];
      double[][] b = new double[n][n];
      double[][] d = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double[] v = i == j ? new double[] {1, 1} : corr.getOrDefault(num.get(i) + "\u0000"
              + num.get(j), new double[] {Double.NaN, Double.NaN});
          a[i][j] = v[0];
          b[i][j] = v[1];
          d[i][j] = v[1] - v[0];
        }
      }
      sb.append("<h3>Correlations of continuous columns (Pearson)</h3><div class=\"grid\">")
          .append("<div class=\"chart\"><div class=\"ct\">real</div>")
          .append(heatmapSvg(num, a)).append("</div><div class=\"chart\"><div class=\"ct\">"
              + "synthetic</div>").append(heatmapSvg(num, b))
          .append("</div><div class=\"chart\"><div class=\"ct\">synthetic - real</div>")
          .append(heatmapSvg(num, d)).append("</div></div>\n");
    }
    if (all.size() >= 2) {
      int n = all.size();
      double[][] s = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          s[i][j] = i == j ? Double.NaN : score.getOrDefault(all.get(i) + "\u0000" + all.get(j),
              Double.NaN);
        }
      }
      sb.append("<h3>Column pair trend scores (1 = same as real; red = lower)</h3>")
          .append("<div class=\"chart\">").append(scoreHeatmapSvg(all, s)).append("</div>\n");
    }
  }

  private static void utility(StringBuilder sb, UtilityReport u) {
    if (u == null) {
      return;
    }
    sb.append("<h2>Utility (target ").append(esc(u.target())).append(", ").append(u.task())
        .append(u.positiveClass() != null ? ", positive " + esc(u.positiveClass()) : "")
        .append(")</h2><p>LightGBM trained on synthetic (TSTR, ")
        .append(u.trainRowsSynthetic()).append(" rows) and on real (TRTR, ")
        .append(u.trainRowsReal()).append(" rows), both tested on ").append(esc(u.testSet()))
        .append(" (").append(u.testRows()).append(" rows).</p><table><tr><th>metric</th>"
            + "<th>TSTR</th><th>TRTR</th><th>ratio</th></tr>");
    for (String m : u.tstr().keySet()) {
      sb.append("<tr><td>").append(esc(m)).append("</td><td>").append(num(u.tstr().get(m), 4))
          .append("</td><td>").append(num(u.trtr().get(m), 4)).append("</td><td>")
          .append(num(u.ratios().get(m), 4)).append("</td></tr>");
    }
    sb.append("</table><p>Feature importance rank agreement (Spearman): ")
        .append(num(u.importanceSpearman(), 3)).append("</p>");
    List<String> labels = new ArrayList<>();
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    for (UtilityReport.FeatureImportance f : u.importance()) {
      labels.add(f.feature());
      a.add(f.real());
      b.add(f.synthetic());
    }
    sb.append("<div class=\"chart\"><div class=\"ct\">gain share: model fitted on real vs on "
        + "synthetic</div>").append(barsSvg(new EvaluationReport.Histogram("importance",
            "categorical", labels, toArray(a), toArray(b), null), 480)).append("</div>\n");
  }

  private static double[] toArray(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void detection(StringBuilder sb, DetectionReport d) {
    if (d == null) {
      return;
    }
    sb.append("<h2>Detection</h2><p>A LightGBM classifier trained to tell real from synthetic "
        + "rows (").append(d.rowsPerSide()).append(" rows per side, ")
        .append(d.foldAucs().length).append("-fold cross-validation) reaches AUC <b>")
        .append(num(d.auc(), 3)).append("</b> (0.5 = indistinguishable). ");
    if (d.belowChance()) {
      sb.append("That is below what chance gives (").append(num(d.chanceFloor(), 3))
          .append("): the detector was turned against synthetic rows that sit on particular "
              + "real rows, a sign of closeness to them, not of indistinguishability. ");
    }
    sb.append("It leans most on: ");
    List<String> parts = new ArrayList<>();
    for (DetectionReport.Feature f : d.topFeatures()) {
      parts.add(esc(f.feature()) + " (" + pct(f.gainShare()) + ")");
    }
    sb.append(String.join(", ", parts)).append(".</p>\n");
  }

  private static void privacy(StringBuilder sb, EvaluationReport r) {
    PrivacyReport p = r.privacy();
    if (p == null) {
      return;
    }
    sb.append("<h2>Privacy</h2><table><tr><th>figure</th><th>value</th><th>reference</th></tr>");
    prow(sb, "exact copies of training rows", pct(p.exactMatchTrain()),
        "holdout rows found in train: " + pct(p.baselineHoldoutInTrain()));
    prow(sb, "synthetic rows equal to a holdout row", pct(p.exactMatchHoldout()), "");
    prow(sb, "distinct synthetic rows", pct(p.syntheticUniqueShare()), "");
    prow(sb, "DCR share (closer to train than holdout)", num(p.dcrShare(), 4),
        "0.5 ideal; ties " + pct(p.dcrTies()) + "; " + p.dcrRows() + " rows");
    prow(sb, "DCR share of columns drawn alone", num(p.dcrShareMarginals(), 4),
        "each column's value from its own training row: what the split gives before any "
            + "joint is learned; the excess over it is the model's lean");
    if (Double.isFinite(p.dcrShareMarginalsGivenTarget())) {
      prow(sb, "DCR share of columns drawn alone within the target's class",
          num(p.dcrShareMarginalsGivenTarget(), 4),
          "each row's target from a training row, every other column from a training row of "
              + "that class: what the split gives a model that knows only each column's "
              + "relation to the label (the nearest record shares the label)");
    }
    prow(sb, "median distance to closest training row", num(p.dcrSyntheticMedian(), 4),
        "holdout: " + num(p.dcrHoldoutMedian(), 4));
    prow(sb, "5th percentile of that distance", num(p.dcrSyntheticP5(), 4),
        "holdout: " + num(p.dcrHoldoutP5(), 4));
    prow(sb, "median nearest-neighbour distance ratio", num(p.nndrSyntheticMedian(), 4),
        "holdout: " + num(p.nndrHoldoutMedian(), 4));
    prow(sb, "membership attack AUC", num(p.membershipAuc(), 4), "0.5 = no leak");
    sb.append("</table>\n");
    EvaluationReport.Histogram dcr = r.plots().dcr();
    if (dcr != null) {
      sb.append("<h3>Distance to the closest training row</h3><p class=\"legend\">"
          + "<span style=\"color:").append(REAL).append("\">&#9632; holdout &rarr; train</span>"
          + " &nbsp; <span style=\"color:").append(SYN).append("\">&#9632; synthetic &rarr; "
          + "train</span></p><div class=\"chart\">").append(histogramSvg(dcr, 560, 200))
          .append("</div>\n");
    }
  }

  private static void prow(StringBuilder sb, String a, String b, String c) {
    sb.append("<tr><td>").append(esc(a)).append("</td><td>").append(b).append("</td><td>")
        .append(esc(c)).append("</td></tr>");
  }

  /** Overlaid bars of real and synthetic shares, and the holdout as a step line. */
  static String histogramSvg(EvaluationReport.Histogram h, int w, int ht) {
    int n = h.real().length;
    double max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, Math.max(h.real()[i], h.synthetic()[i]));
      if (h.holdout() != null) {
        max = Math.max(max, h.holdout()[i]);
      }
    }
    if (max <= 0) {
      max = 1;
    }
    int left = 40;
    int bottom = 22;
    double pw = w - left - 8;
    double ph = ht - bottom - 8;
    double bw = pw / n;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
        + "height=\"%d\" viewBox=\"0 0 %d %d\">", w, ht, w, ht));
    axes(s, left, 8, pw, ph, max);
    for (int i = 0; i < n; i++) {
      bar(s, left + i * bw, 8 + ph, bw, h.real()[i] / max * ph, REAL, 0.55);
      bar(s, left + i * bw, 8 + ph, bw, h.synthetic()[i] / max * ph, SYN, 0.55);
    }
    if (h.holdout() != null) {
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < n; i++) {
        double y = 8 + ph - h.holdout()[i] / max * ph;
        path.append(i == 0 ? "M" : "L").append(f1(left + i * bw)).append(',').append(f1(y))
            .append("L").append(f1(left + (i + 1) * bw)).append(',').append(f1(y));
      }
      s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(HOLD)
          .append("\" stroke-width=\"1.5\"/>");
    }
    List<String> lab = h.labels();
    text(s, left, ht - 6, lab.get(0), "start");
    text(s, left + pw / 2, ht - 6, lab.get(lab.size() / 2), "middle");
    text(s, left + pw, ht - 6, lab.get(lab.size() - 1), "end");
    return s.append("</svg>").toString();
  }

  /** Horizontal grouped bars per label: real on top, synthetic below. */
  static String barsSvg(EvaluationReport.Histogram h, int w) {
    int n = h.labels().size();
    int rowH = 20;
    int top = 4;
    int labelW = 130;
    int ht = top + n * rowH + 18;
    double max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, Math.max(h.real()[i], h.synthetic()[i]));
    }
    if (max <= 0) {
      max = 1;
    }
    double pw = w - labelW - 100;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
        + "height=\"%d\" viewBox=\"0 0 %d %d\">", w, ht, w, ht));
    for (int i = 0; i < n; i++) {
      double y = top + i * rowH;
      String label = h.labels().get(i);
      if (label.length() > 20) {
        label = label.substring(0, 19) + "\u2026";
      }
      text(s, labelW - 4, y + 13, label, "end");
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%s\" width=\"%s\" height=\"8\" "
          + "fill=\"%s\"/>", labelW, f1(y + 2), f1(h.real()[i] / max * pw), REAL));
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%s\" width=\"%s\" height=\"8\" "
          + "fill=\"%s\"/>", labelW, f1(y + 10), f1(h.synthetic()[i] / max * pw), SYN));
      if (h.holdout() != null) {
        double x = labelW + h.holdout()[i] / max * pw;
        s.append(String.format(Locale.ROOT, "<line x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" "
            + "stroke=\"%s\" stroke-width=\"2\"/>", f1(x), f1(x), f1(y + 1), f1(y + 19), HOLD));
      }
      text(s, labelW + Math.max(h.real()[i], h.synthetic()[i]) / max * pw + 4, y + 13,
          pct(h.real()[i]) + " / " + pct(h.synthetic()[i]), "start");
    }
    return s.append("</svg>").toString();
  }

  private static String heatmapSvg(List<String> names, double[][] m) {
    int n = names.size();
    int cell = Math.max(14, Math.min(36, 300 / n));
    int lab = 110;
    int w = lab + n * cell + 4;
    int ht = lab + n * cell + 4;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
        + "height=\"%d\" viewBox=\"0 0 %d %d\">", w, ht, w, ht));
    for (int i = 0; i < n; i++) {
      text(s, lab - 4, lab + i * cell + cell / 2.0 + 4, shortName(names.get(i)), "end");
      s.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%d\" font-size=\"10\" "
          + "transform=\"rotate(-60 %s %d)\">%s</text>", f1(lab + i * cell + cell / 2.0),
          lab - 4, f1(lab + i * cell + cell / 2.0), lab - 4, esc(shortName(names.get(i)))));
      for (int j = 0; j < n; j++) {
        double v = m[i][j];
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
            + " fill=\"%s\"><title>%s / %s: %s</title></rect>", lab + j * cell, lab + i * cell,
            cell - 1, cell - 1, diverging(v), esc(names.get(i)), esc(names.get(j)), num(v, 3)));
        if (cell >= 26 && !Double.isNaN(v)) {
          text(s, lab + j * cell + cell / 2.0, lab + i * cell + cell / 2.0 + 3,
              String.format(Locale.ROOT, "%.2f", v), "middle");
        }
      }
    }
    return s.append("</svg>").toString();
  }

  private static String scoreHeatmapSvg(List<String> names, double[][] m) {
    int n = names.size();
    int cell = Math.max(12, Math.min(32, 520 / n));
    int lab = 120;
    int w = lab + n * cell + 4;
    int ht = lab + n * cell + 4;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
        + "height=\"%d\" viewBox=\"0 0 %d %d\">", w, ht, w, ht));
    for (int i = 0; i < n; i++) {
      text(s, lab - 4, lab + i * cell + cell / 2.0 + 4, shortName(names.get(i)), "end");
      s.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%d\" font-size=\"10\" "
          + "transform=\"rotate(-60 %s %d)\">%s</text>", f1(lab + i * cell + cell / 2.0),
          lab - 4, f1(lab + i * cell + cell / 2.0), lab - 4, esc(shortName(names.get(i)))));
      for (int j = 0; j < n; j++) {
        double v = m[i][j];
        String fill;
        if (Double.isNaN(v)) {
          fill = "#edf2f7";
        } else {
          double t = Math.max(0, Math.min(1, (1 - v) / 0.3));
          fill = String.format(Locale.ROOT, "rgb(%d,%d,%d)", 255, (int) (255 - 190 * t),
              (int) (255 - 200 * t));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
            + " fill=\"%s\"><title>%s / %s: %s</title></rect>", lab + j * cell, lab + i * cell,
            cell - 1, cell - 1, fill, esc(names.get(i)), esc(names.get(j)), num(v, 3)));
      }
    }
    return s.append("</svg>").toString();
  }

  private static String shortName(String s) {
    return s.length() > 16 ? s.substring(0, 15) + "\u2026" : s;
  }

  /** Blue for negative, white for zero, red for positive, grey for NaN. */
  private static String diverging(double v) {
    if (Double.isNaN(v)) {
      return "#edf2f7";
    }
    double t = Math.max(-1, Math.min(1, v));
    int a = (int) (255 - 200 * Math.abs(t));
    return t >= 0 ? String.format(Locale.ROOT, "rgb(255,%d,%d)", a, a)
        : String.format(Locale.ROOT, "rgb(%d,%d,255)", a, a);
  }

  private static void axes(StringBuilder s, int left, int top, double pw, double ph,
      double max) {
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%s\" x2=\"%s\" y2=\"%s\" "
        + "stroke=\"#999\"/>", left, f1(top + ph), f1(left + pw), f1(top + ph)));
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%s\" "
        + "stroke=\"#999\"/>", left, top, left, f1(top + ph)));
    text(s, left - 3, top + 8, pct(max), "end");
    text(s, left - 3, top + ph, "0", "end");
  }

  private static void bar(StringBuilder s, double x, double base, double w, double h,
      String color, double opacity) {
    if (h <= 0) {
      return;
    }
    s.append(String.format(Locale.ROOT, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
        + "fill=\"%s\" fill-opacity=\"%s\"/>", f1(x), f1(base - h), f1(Math.max(0.5, w - 0.5)),
        f1(h), color, opacity));
  }

  private static void text(StringBuilder s, double x, double y, String t, String anchor) {
    s.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%s\" font-size=\"10\" "
        + "text-anchor=\"%s\">%s</text>", f1(x), f1(y), anchor, esc(t)));
  }

  private static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String num(Double v, int digits) {
    if (v == null || Double.isNaN(v)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  static String pct(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, v != 0 && Math.abs(v) < 0.001 ? "%.3f%%" : "%.1f%%",
        100 * v);
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static final String CSS = "body{font-family:system-ui,-apple-system,'Segoe UI',"
      + "Helvetica,Arial,sans-serif;margin:24px;color:#1a202c;max-width:1180px}"
      + "h1{margin-bottom:2px}h2{border-bottom:2px solid #e2e8f0;padding-bottom:4px;"
      + "margin-top:28px}.sub{color:#4a5568}"
      + ".cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #cbd5e0;"
      + "border-radius:8px;padding:10px 14px;width:150px;background:#f7fafc}"
      + ".card .t{font-size:13px;color:#4a5568}.card .v{font-size:28px;font-weight:600}"
      + ".card .r{font-size:12px;color:#2d3748}.card .h{font-size:11px;color:#718096;"
      + "margin-top:4px}"
      + "table{border-collapse:collapse;margin:8px 0;font-size:13px}td,th{border:1px solid "
      + "#e2e8f0;padding:3px 8px;text-align:left}th{background:#edf2f7}"
      + "tr.pass td{background:#f0fff4}tr.fail td{background:#fff5f5;color:#9b2c2c;"
      + "font-weight:600}.gates{margin-top:12px}"
      + ".warn{background:#fffaf0;border:1px solid #f6ad55;padding:6px 12px;margin:12px 0;"
      + "border-radius:6px}"
      + ".grid{display:flex;flex-wrap:wrap;gap:12px}.chart{border:1px solid #e2e8f0;"
      + "border-radius:6px;padding:6px}.ct{font-size:13px;font-weight:600;margin-bottom:2px}"
      + ".legend{font-size:13px}.notes{font-size:12px;color:#4a5568}"
      + "svg text{font-family:system-ui,Helvetica,Arial,sans-serif;fill:#2d3748}";
}
