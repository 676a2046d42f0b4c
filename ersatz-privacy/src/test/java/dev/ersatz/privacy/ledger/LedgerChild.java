package dev.ersatz.privacy.ledger;

import dev.ersatz.privacy.PrivacyBudgetException;
import java.nio.file.Path;

/**
 * A child process for the ledger tests (launched with the test class path). Modes:
 * {@code spend <db> <fp> <count> <epsilon>} reserves and commits repeatedly;
 * {@code hang-in-tx <db> <fp> <epsilon>} stops inside the reserve transaction;
 * {@code hang-after-reserve <db> <fp> <epsilon>} stops after reserving, before committing.
 */
public final class LedgerChild {
  private LedgerChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    BudgetLedger ledger = BudgetLedger.open(Path.of(args[1]));
    String fp = args[2];
    if (mode.equals("spend")) {
      int count = Integer.parseInt(args[3]);
      double eps = Double.parseDouble(args[4]);
      int ok = 0;
      int refused = 0;
      System.out.println("READY");
      System.out.flush();
      for (int i = 0; i < count; i++) {
        try {
          ledger.reserve(fp, eps, 1e-7, "dp", "epsilon=" + eps, "child " + i).commit();
          ok++;
        } catch (PrivacyBudgetException e) {
          refused++;
        }
      }
      System.out.println("DONE ok=" + ok + " refused=" + refused);
    } else if (mode.equals("hang-in-tx")) {
      ledger.withHookInsideReserve(LedgerChild::signalAndHang);
      ledger.reserve(fp, Double.parseDouble(args[3]), 1e-7, "dp", "", "killed in transaction");
    } else if (mode.equals("hang-after-reserve")) {
      ledger.reserve(fp, Double.parseDouble(args[3]), 1e-7, "dp", "", "killed after reserve");
      signalAndHang();
    }
    System.out.flush();
  }

  private static void signalAndHang() {
    System.out.println("HANGING");
    System.out.flush();
    try {
      Thread.sleep(120_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
