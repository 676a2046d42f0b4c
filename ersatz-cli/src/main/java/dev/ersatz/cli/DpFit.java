package dev.ersatz.cli;

import dev.ersatz.core.UserInputException;
import dev.ersatz.core.schema.Column;
import dev.ersatz.core.schema.ColumnType;
import dev.ersatz.core.schema.Schema;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.Synthesizer;
import dev.ersatz.core.spi.Synthesizers;
import dev.ersatz.io.AtomicFiles;
import dev.ersatz.io.Fingerprints;
import dev.ersatz.io.Metadata;
import dev.ersatz.io.ModelFiles;
import dev.ersatz.io.PublicDomain;
import dev.ersatz.io.ReadResult;
import dev.ersatz.privacy.ledger.BudgetLedger;
import dev.ersatz.privacy.ledger.DatasetBudget;
import dev.ersatz.privacy.ledger.Reservation;
import dev.ersatz.privacy.mst.DpConfig;
import dev.ersatz.privacy.mst.DpModel;
import dev.ersatz.privacy.mst.DpSynthesizerProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ersatz fit --generator dp}: a differentially private fit that spends from the dataset's
 * budget in the ledger, so that a spend is recorded exactly when a model may have left the
 * process.
 *
 * <p>Order: options are checked and the table read; the spend is reserved (refused, with exit
 * status 2, when it would exceed the dataset's total); the model is fitted and serialised to a
 * temporary file beside the output; only then is the spend committed and the file renamed into
 * place. A failure before the commit aborts the reservation (nothing was released); a crash
 * between reserve and commit leaves the spend reserved, which counts as spent.
 */
final class DpFit {
  private DpFit() {}

  static int run(FitCommand c, PrintWriter out, PrintWriter err) {
    if (c.epsilon == null) {
      throw new UserInputException("dp: the option epsilon is required (the privacy budget of "
          + "this fit), e.g. --epsilon 1");
    }
    for (String k : new String[] {"epsilon", "delta"}) {
      if (c.options.containsKey(k)) {
        throw new UserInputException("dp: give " + k + " as --" + k + ", not as -O " + k);
      }
    }
    Map<String, String> options = new LinkedHashMap<>(c.options);
    options.put("epsilon", Double.toString(c.epsilon));
    if (c.delta != null) {
      options.put("delta", Double.toString(c.delta));
    }
    if (c.budget != null && (!(c.budget > 0) || c.budget.isInfinite())) {
      throw new UserInputException("--budget must be > 0 but was " + c.budget);
    }
    // Everything that can be checked is checked before anything is reserved.
    options = withPublicDomains(options, c.metadata);
    Synthesizer synthesizer = Synthesizers.get(DpSynthesizerProvider.NAME).create(options);
    AtomicFiles.requireParent(c.output);
    ReadResult rr = FitCommand.read(c.data, c.metadata, err);
    DpConfig config = DpConfig.parse(options);
    String fp = rr.source().sha256().isEmpty() ? Fingerprints.sha256(c.data)
        : rr.source().sha256();
    String shortFp = fp.substring(0, 12);

    FittedModel model;
    DatasetBudget after;
    try (BudgetLedger ledger = c.ledger.open()) {
      if (c.budget != null) {
        double before = ledger.budget(fp).totalEpsilon();
        ledger.setTotal(fp, c.budget);
        if (before != c.budget) {
          err.printf(Locale.ROOT, "privacy budget of dataset %s: total epsilon set to %s (was "
              + "%s)%n", shortFp, Ledgers.num(c.budget), Ledgers.num(before));
        }
      }
      Reservation r = ledger.reserve(fp, config.epsilon(), config.delta(),
          DpSynthesizerProvider.NAME, parameters(config),
          "fit of " + c.data.getFileName() + " -> " + c.output.getFileName());
      Path temp = null;
      try {
        model = FitCommand.fit(synthesizer, rr, DpSynthesizerProvider.NAME, c.seed, c.quiet, err);
        byte[] bytes = ModelFiles.toBytes(model);
        temp = AtomicFiles.tempPath(c.output);
        try (OutputStream os = AtomicFiles.create(temp)) {
          os.write(bytes);
        }
      } catch (IOException | RuntimeException | Error e) {
        AtomicFiles.deleteQuietly(temp);
        try {
          r.abort();
        } catch (RuntimeException abortFailure) {
          e.addSuppressed(abortFailure);
        }
        if (e instanceof IOException io) {
          throw new UserInputException("cannot write " + c.output + ": " + io.getMessage(), io);
        }
        if (e instanceof Error er) {
          throw er;
        }
        throw (RuntimeException) e;
      }
      try {
        r.commit();
      } catch (RuntimeException e) {
        AtomicFiles.deleteQuietly(temp);
        throw e;
      }
      AtomicFiles.commit(temp, c.output);
      after = ledger.budget(fp);
    }
    out.printf(Locale.ROOT, "wrote %s (%s)%n", c.output, Console.bytes(FitCommand.size(c.output)));
    out.flush();
    err.println(summary(c.output, model.provenance().privacy(), shortFp, after));
    List<String> empty = model instanceof DpModel dm ? dm.emptyColumns() : List.of();
    if (!empty.isEmpty()) {
      boolean one = empty.size() == 1;
      err.printf(Locale.ROOT, "warning: %s come%s out empty (missing in every row): nothing of "
          + "%s rose above the noise at epsilon %s. Declare %s public domain in the metadata "
          + "file, or give a larger epsilon.%n", String.join(", ", empty), one ? "s" : "",
          one ? "it" : "them", Ledgers.num(config.epsilon()), one ? "its" : "their");
    }
    String hint = undeclaredHint(model.schema(), config, c.output);
    if (hint != null) {
      err.println(hint);
    }
    err.flush();
    if (!c.noCatalog) {
      c.catalog.record(cat -> cat.recordModel(c.output, model.provenance(), c.data), err);
    }
    return Main.OK;
  }

  /**
   * The options plus the public domains and calendars declared in the metadata file, as the
   * generator's {@code bounds.<column>}, {@code categories.<column>} and
   * {@code calendar.<column>} options.
   *
   * @throws UserInputException when a column's domain is given both ways, or a declared value
   *     holds the list separator {@code |}
   */
  static Map<String, String> withPublicDomains(Map<String, String> options, Path metadata) {
    if (metadata == null) {
      return options;
    }
    Map<String, String> out = new LinkedHashMap<>(options);
    Metadata md = Metadata.read(metadata);
    for (Map.Entry<String, String> e : md.calendars().entrySet()) {
      String key = "calendar." + e.getKey();
      if (out.containsKey(key)) {
        throw new UserInputException("the calendar of column '" + e.getKey() + "' is declared "
            + "both in the metadata file and as -O " + key + "; keep one");
      }
      out.put(key, e.getValue());
    }
    for (Map.Entry<String, PublicDomain> e : md.publicDomains().entrySet()) {
      String col = e.getKey();
      PublicDomain d = e.getValue();
      String key = (d.hasRange() ? "bounds." : "categories.") + col;
      if (out.containsKey(key)) {
        throw new UserInputException("the domain of column '" + col + "' is declared both in "
            + "the metadata file and as -O " + key + "; keep one");
      }
      if (d.hasRange()) {
        out.put(key, Double.toString(d.min()) + ":" + Double.toString(d.max()));
      } else {
        for (String v : d.values()) {
          if (v.contains("|")) {
            throw new UserInputException("metadata: a declared value of column '" + col
                + "' contains '|', which the dp generator cannot take; leave out this "
                + "column's values");
          }
        }
        out.put(key, String.join("|", d.values()));
      }
    }
    return out;
  }

  /**
   * A note naming the learned columns whose domain was found under DP rather than declared, or
   * null when every domain was declared. Names columns only, never values.
   */
  static String undeclaredHint(Schema schema, DpConfig config, Path model) {
    List<String> found = new ArrayList<>();
    int needDomain = 0;
    for (int i = 0; i < schema.size(); i++) {
      Column col = schema.column(i);
      if (!col.type().modelled() || col.type() instanceof ColumnType.Bool) {
        continue; // a yes/no column's two values come from its type
      }
      needDomain++;
      boolean declared = col.isContinuous() ? config.bounds().containsKey(col.name())
          : config.categories().containsKey(col.name());
      if (!declared) {
        found.add(col.name());
      }
    }
    if (found.isEmpty()) {
      return null;
    }
    String names = found.size() <= 6 ? String.join(", ", found)
        : String.join(", ", found.subList(0, 5)) + " and " + (found.size() - 5) + " more";
    return String.format(Locale.ROOT, "no public domain declared for %d of %d columns (%s): "
        + "found under DP, they leave out values held by few rows (rare categories, extreme "
        + "numbers). `ersatz inspect %s` lists what was kept; declare public domains in the "
        + "metadata file (\"min\"/\"max\", \"values\"; `ersatz profile` writes one to edit) "
        + "to keep them.", found.size(), needDomain, names, model.getFileName());
  }

  /** The generator's settings for the ledger: no category lists, only how many. */
  static String parameters(DpConfig c) {
    StringBuilder sb = new StringBuilder();
    sb.append("epsilon=").append(Ledgers.num(c.epsilon())).append(" delta=")
        .append(Ledgers.num(c.delta()));
    if (!c.bounds().isEmpty()) {
      sb.append(" declaredBounds=").append(c.bounds().size());
    }
    if (!c.categories().isEmpty()) {
      sb.append(" declaredCategories=").append(c.categories().size());
    }
    if (c.reproducibleNoise()) {
      sb.append(" reproducibleNoise=true");
    }
    return sb.toString();
  }

  /** The one-line summary; "safe to share" only when the model's provenance says dp=true. */
  static String summary(Path output, Map<String, Object> privacy, String shortFp,
      DatasetBudget b) {
    boolean dp = Boolean.TRUE.equals(privacy.get("dp"));
    String spent = String.format(Locale.ROOT, "dataset %s has spent epsilon %s of %s (%d fit%s)",
        shortFp, Ledgers.num(b.spentEpsilon()), Ledgers.num(b.totalEpsilon()), b.fits(),
        b.fits() == 1 ? "" : "s");
    if (!dp) {
      return "model written to " + output + ": NOT differentially private (its noise can be "
          + "recomputed from the recorded seed); share it only as you would the data itself; "
          + spent;
    }
    return String.format(Locale.ROOT, "dp model written to %s: (epsilon=%s, delta=%s)-"
        + "differentially private (zCDP rho=%s); this model file is safe to share; %s",
        output, num(privacy.get("epsilon")), num(privacy.get("delta")), num(privacy.get("rho")),
        spent);
  }

  private static String num(Object o) {
    return o instanceof Number n ? Ledgers.num(n.doubleValue()) : String.valueOf(o);
  }
}
