package dev.ersatz.llm.strategy;

/**
 * Generates one candidate per slot. Implementations are stateless; a slot's candidate depends only
 * on the context, the slot number and the model's answers, so a rerun reproduces it.
 */
public interface Strategy {
  /** @return the strategy's config name */
  String name();

  /**
   * Generates the candidate for one slot.
   *
   * @param ctx the round context
   * @param slot the slot, in [0, ctx.count())
   * @return the candidate, possibly with a failure reason; never null
   * @throws dev.ersatz.llm.endpoint.BudgetExhaustedException when the budget runs out
   */
  Candidate generate(GenerationContext ctx, int slot);

  /**
   * Creates a strategy by config name.
   *
   * @param name {@code self-instruct}, {@code evol-instruct} or {@code topics}
   * @return the strategy
   */
  static Strategy named(String name) {
    if (name.equals("self-instruct")) {
      return new SelfInstruct();
    }
    if (name.equals("evol-instruct")) {
      return new EvolInstruct();
    }
    if (name.equals("topics")) {
      return new Topics();
    }
    throw new IllegalArgumentException("unknown strategy " + name);
  }
}
