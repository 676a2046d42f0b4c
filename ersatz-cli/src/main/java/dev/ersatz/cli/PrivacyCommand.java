package dev.ersatz.cli;

import dev.ersatz.core.json.Json;
import dev.ersatz.privacy.ledger.BudgetChange;
import dev.ersatz.privacy.ledger.BudgetLedger;
import dev.ersatz.privacy.ledger.DatasetBudget;
import dev.ersatz.privacy.ledger.LedgerEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ersatz privacy}: the differential privacy budget ledger. */
@Command(name = "privacy", mixinStandardHelpOptions = true,
    description = "Differential privacy budgets: what each dataset has spent, and its total.",
    subcommands = {PrivacyCommand.LedgerCommand.class, PrivacyCommand.BudgetCommand.class})
public final class PrivacyCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code ersatz privacy ledger [DATASET]}. */
  @Command(name = "ledger", mixinStandardHelpOptions = true,
      description = "Show the privacy budget of every dataset, or of one dataset with each of "
          + "its spends. Status 'reserved' counts as spent: the fit did not confirm (it "
          + "crashed, or is still running).")
  static final class LedgerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET",
        description = "a data file (its SHA-256 is its fingerprint) or a fingerprint (or an "
            + "unambiguous prefix of at least 8 hex digits)")
    String dataset;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Mixin
    Ledgers.LedgerOption ledger;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (BudgetLedger l = ledger.open()) {
        if (dataset == null) {
          List<Object> all = new ArrayList<>();
          for (String fp : l.datasets()) {
            DatasetBudget b = l.budget(fp);
            all.add(budgetJson(b));
            if (!json) {
              out.println(budgetLine(b));
            }
          }
          if (json) {
            out.print(Json.writePretty(Map.of("datasets", all)));
          } else if (all.isEmpty()) {
            spec.commandLine().getErr().println("the ledger at " + ledger.describe()
                + " holds no dataset yet (a fit with --generator dp records its spend there)");
          }
        } else {
          String fp = Ledgers.fingerprint(dataset, l);
          DatasetBudget b = l.budget(fp);
          List<LedgerEntry> entries = l.list(fp);
          List<BudgetChange> changes = l.changes(fp);
          if (json) {
            Map<String, Object> m = budgetJson(b);
            List<Object> spends = new ArrayList<>();
            for (LedgerEntry e : entries) {
              spends.add(entryJson(e));
            }
            m.put("spends", spends);
            List<Object> totals = new ArrayList<>();
            for (BudgetChange ch : changes) {
              Map<String, Object> cm = new LinkedHashMap<>();
              cm.put("at", ch.at().toString());
              cm.put("who", ch.who());
              cm.put("before", ch.before());
              cm.put("after", ch.after());
              totals.add(cm);
            }
            m.put("totalChanges", totals);
            out.print(Json.writePretty(m));
          } else {
            out.println(budgetLine(b));
            for (BudgetChange ch : changes) {
              out.printf(Locale.ROOT, "  total  %s  %s  epsilon %s -> %s%n", ch.at(), ch.who(),
                  Ledgers.num(ch.before()), Ledgers.num(ch.after()));
            }
            for (LedgerEntry e : entries) {
              out.printf(Locale.ROOT, "  #%d  %s  %s  %s  epsilon=%s delta=%s  %s  \"%s\"%n",
                  e.id(), e.at(), e.who(), e.generator(), Ledgers.num(e.epsilon()),
                  Ledgers.num(e.delta()), e.status(), e.description());
            }
          }
        }
      }
      out.flush();
      return Main.OK;
    }
  }

  /** {@code ersatz privacy budget DATASET --total B}. */
  @Command(name = "budget", mixinStandardHelpOptions = true,
      description = "Set the total epsilon a dataset may spend over all fits (lowering it "
          + "below what is spent is allowed: nothing then remains).")
  static final class BudgetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET",
        description = "a data file or its fingerprint (or a prefix of at least 8 hex digits)")
    String dataset;

    @Option(names = "--total", required = true, paramLabel = "B",
        description = "the dataset's total epsilon, > 0")
    double total;

    @Mixin
    Ledgers.LedgerOption ledger;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (BudgetLedger l = ledger.open()) {
        String fp = Ledgers.fingerprint(dataset, l);
        double before = l.budget(fp).totalEpsilon();
        l.setTotal(fp, total);
        out.printf(Locale.ROOT, "total epsilon of dataset %s set to %s (was %s)%n",
            fp.substring(0, 12), Ledgers.num(total), Ledgers.num(before));
        out.println(budgetLine(l.budget(fp)));
      }
      out.flush();
      return Main.OK;
    }
  }

  static String budgetLine(DatasetBudget b) {
    return String.format(Locale.ROOT, "%s  total %s  spent %s  remaining %s  fits %d  (delta "
        + "spent %s)", b.fingerprint().substring(0, 12), Ledgers.num(b.totalEpsilon()),
        Ledgers.num(b.spentEpsilon()), Ledgers.num(b.remainingEpsilon()), b.fits(),
        Ledgers.num(b.spentDelta()));
  }

  static Map<String, Object> budgetJson(DatasetBudget b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fingerprint", b.fingerprint());
    m.put("totalEpsilon", b.totalEpsilon());
    m.put("spentEpsilon", b.spentEpsilon());
    m.put("remainingEpsilon", b.remainingEpsilon());
    m.put("spentDelta", b.spentDelta());
    m.put("fits", (long) b.fits());
    return m;
  }

  static Map<String, Object> entryJson(LedgerEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("at", e.at().toString());
    m.put("who", e.who());
    m.put("generator", e.generator());
    m.put("parameters", e.parameters());
    m.put("description", e.description());
    m.put("epsilon", e.epsilon());
    m.put("delta", e.delta());
    m.put("status", e.status());
    m.put("counts", e.counts());
    return m;
  }
}
