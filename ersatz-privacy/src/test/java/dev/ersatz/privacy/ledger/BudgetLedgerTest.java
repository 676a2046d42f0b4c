package dev.ersatz.privacy.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ersatz.core.UserInputException;
import dev.ersatz.privacy.PrivacyBudgetException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger: budget arithmetic, refusals, and atomicity across processes and kill -9. */
class BudgetLedgerTest {
  static final String FP = "a".repeat(64);
  static final String FP2 = "b".repeat(64);

  @TempDir
  Path dir;

  @Test
  void aLedgerUrlAndItsPasswordNeverReachAMessage() {
    assertThatThrownBy(() -> BudgetLedger.openJdbc("jdbc:nosuchdb://host/db?password=hunter2",
        "u", "pw"))
        .hasMessageContaining("no JDBC driver").hasMessageNotContaining("hunter2");
  }

  @Test
  void theRefusalWritesDeltaPlainly() {
    BudgetLedger l = BudgetLedger.open(dir.resolve("ledger-fmt"));
    l.setTotal(FP, 1);
    l.reserve(FP, 1.0, 1e-6, "dp", "epsilon=1", "first").commit();
    assertThatThrownBy(() -> l.reserve(FP, 100, 1e-6, "dp", "", ""))
        .hasMessageContaining("asks for epsilon=100 ").hasMessageContaining("(delta=1e-06)");
  }

  @Test
  void everyChangeOfATotalIsRecorded() {
    BudgetLedger l = BudgetLedger.open(dir.resolve("ledger-changes"));
    assertThat(l.changes(FP)).isEmpty();
    l.setTotal(FP, 1);
    l.setTotal(FP, 1);
    l.setTotal(FP, 2.5);
    List<BudgetChange> c = l.changes(FP);
    assertThat(c).hasSize(2);
    assertThat(c.get(0).before()).isEqualTo(BudgetLedger.DEFAULT_TOTAL_EPSILON);
    assertThat(c.get(0).after()).isEqualTo(1.0);
    assertThat(c.get(1).before()).isEqualTo(1.0);
    assertThat(c.get(1).after()).isEqualTo(2.5);
    assertThat(c.get(1).who()).isEqualTo(System.getProperty("user.name"));
    assertThat(c.get(1).at()).isAfterOrEqualTo(c.get(0).at());
    assertThat(l.changes(FP2)).isEmpty();
    assertThat(l.budget(FP).totalEpsilon()).isEqualTo(2.5);
  }

  @Test
  void reserveCommitAbortAndRefuse() {
    BudgetLedger l = BudgetLedger.open(dir.resolve("ledger"));
    assertThat(l.budget(FP).totalEpsilon()).isEqualTo(BudgetLedger.DEFAULT_TOTAL_EPSILON);
    l.reserve(FP, 1.0, 1e-6, "dp", "epsilon=1", "first").commit();
    Reservation r = l.reserve(FP, 1.5, 1e-6, "dp", "epsilon=1.5", "second");
    assertThat(l.budget(FP).spentEpsilon()).isCloseTo(2.5, within(1e-12));
    r.abort();
    assertThat(l.budget(FP).spentEpsilon()).isCloseTo(1.0, within(1e-12));
    assertThatThrownBy(r::commit).hasMessageContaining("aborted");
    l.reserve(FP, 1.5, 1e-6, "dp", "epsilon=1.5", "third").commit();
    assertThatThrownBy(() -> l.reserve(FP, 1.0, 1e-6, "dp", "epsilon=1", "fourth"))
        .isInstanceOf(PrivacyBudgetException.class)
        .hasMessageContaining("asks for epsilon=1").hasMessageContaining("2 earlier fit(s)")
        .hasMessageContaining("spent epsilon=2.5").hasMessageContaining("0.5 remains");
    // other datasets are independent; totals are settable
    l.setTotal(FP2, 0.5);
    assertThatThrownBy(() -> l.reserve(FP2, 0.6, 0, "dp", "", ""))
        .isInstanceOf(PrivacyBudgetException.class);
    l.setTotal(FP, 10);
    l.reserve(FP, 1.0, 1e-6, "dp", "epsilon=1", "after raise").commit();
    List<LedgerEntry> all = l.list(FP);
    assertThat(all).extracting(LedgerEntry::status)
        .containsExactly("committed", "aborted", "committed", "committed");
    assertThat(all.get(0).who()).isEqualTo(System.getProperty("user.name"));
    assertThat(l.list(null)).hasSize(4);
    assertThat(l.datasets()).containsExactly(FP, FP2);
    assertThatThrownBy(() -> l.reserve("not-a-hash", 1, 0, "dp", "", ""))
        .isInstanceOf(UserInputException.class).hasMessageContaining("SHA-256");
  }

  @Test
  void twoProcessesReservingAtOnceNeverOverspend() throws Exception {
    Path db = dir.resolve("ledger");
    // each ledger this test opens is closed: an open one keeps serving the database to other
    // processes and may still write to its directory while the test's temporary folder is deleted
    try (BudgetLedger l = BudgetLedger.open(db)) {
      l.setTotal(FP, 3.0);
    }
    Process a = child("spend", db.toString(), FP, "25", "0.1");
    Process b = child("spend", db.toString(), FP, "25", "0.1");
    String ra = finish(a);
    String rb = finish(b);
    int ok = okCount(ra) + okCount(rb);
    assertThat(ok).as(ra + " / " + rb).isEqualTo(30);
    try (BudgetLedger l = BudgetLedger.open(db)) {
      assertThat(l.budget(FP).spentEpsilon()).isLessThanOrEqualTo(3.0 + 1e-9);
      assertThat(l.budget(FP).fits()).isEqualTo(30);
    }
  }

  @Test
  void killedInsideTheReserveTransactionSpendsNothing() throws Exception {
    Path db = dir.resolve("ledger");
    try (BudgetLedger l = BudgetLedger.open(db)) {
      l.reserve(FP, 0.5, 0, "dp", "", "before").commit();
    }
    Process p = child("hang-in-tx", db.toString(), FP, "1.0");
    awaitLine(p, "HANGING");
    p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no rollback by the child
    p.waitFor(30, TimeUnit.SECONDS);
    try (BudgetLedger l = BudgetLedger.open(db)) {
      assertThat(l.budget(FP).spentEpsilon()).isCloseTo(0.5, within(1e-12));
      assertThat(l.list(FP)).extracting(LedgerEntry::description).containsExactly("before");
      l.reserve(FP, 2.5, 0, "dp", "", "rest").commit(); // the ledger is usable after the kill
    }
  }

  @Test
  void killedAfterReservingCountsAsSpent() throws Exception {
    Path db = dir.resolve("ledger");
    Process p = child("hang-after-reserve", db.toString(), FP, "1.25");
    awaitLine(p, "HANGING");
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
    try (BudgetLedger l = BudgetLedger.open(db)) {
      assertThat(l.budget(FP).spentEpsilon()).isCloseTo(1.25, within(1e-12));
      assertThat(l.list(FP)).extracting(LedgerEntry::status).containsExactly("reserved");
      assertThatThrownBy(() -> l.reserve(FP, 2.0, 0, "dp", "", ""))
          .isInstanceOf(PrivacyBudgetException.class);
    }
  }

  private static Process child(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("-Xmx64m");
    cmd.add(LedgerChild.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static void awaitLine(Process p, String marker) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = r.readLine()) != null) {
      if (line.equals(marker)) {
        return;
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("child ended before " + marker + ":\n" + seen);
  }

  private static String finish(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static int okCount(String out) {
    for (String line : out.split("\n")) {
      if (line.startsWith("DONE ok=")) {
        return Integer.parseInt(line.substring(8, line.indexOf(' ', 8)));
      }
    }
    throw new AssertionError("no DONE line in:\n" + out);
  }
}
