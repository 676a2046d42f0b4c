package dev.ersatz.llm.endpoint;

import java.util.Locale;

/**
 * A thread-safe token and cost budget shared by all endpoints of a run. Calls are admitted while
 * the budget is not spent; the call that crosses a limit is still counted (its tokens were used),
 * and every later call is refused with {@link BudgetExhaustedException}.
 */
public final class Budget {
  private final long maxTokens;
  private final double maxCost;
  private long tokens;
  private double cost;

  private Budget(long maxTokens, double maxCost, long usedTokens, double usedCost) {
    this.maxTokens = maxTokens;
    this.maxCost = maxCost;
    this.tokens = usedTokens;
    this.cost = usedCost;
  }

  /**
   * Creates a budget.
   *
   * @param maxTokens token limit, 0 for none
   * @param maxCost cost limit, 0 for none
   * @return a fresh budget
   */
  public static Budget of(long maxTokens, double maxCost) {
    return new Budget(maxTokens, maxCost, 0, 0);
  }

  /** @return an unlimited budget */
  public static Budget unlimited() {
    return of(0, 0);
  }

  /**
   * Admits one call.
   *
   * @throws BudgetExhaustedException when a limit has been reached
   */
  public synchronized void admit() {
    if (exhausted()) {
      throw new BudgetExhaustedException(String.format(Locale.ROOT,
          "budget exhausted: %d of %d tokens, cost %.4f of %.4f", tokens, maxTokens, cost, maxCost));
    }
  }

  /** @return true when a limit has been reached */
  public synchronized boolean exhausted() {
    return (maxTokens > 0 && tokens >= maxTokens) || (maxCost > 0 && cost >= maxCost);
  }

  /**
   * Charges a finished call.
   *
   * @param usedTokens tokens used
   * @param usedCost cost incurred
   */
  public synchronized void charge(long usedTokens, double usedCost) {
    tokens += usedTokens;
    cost += usedCost;
  }

  /** @return tokens charged so far */
  public synchronized long tokens() {
    return tokens;
  }

  /** @return cost charged so far */
  public synchronized double cost() {
    return cost;
  }
}
