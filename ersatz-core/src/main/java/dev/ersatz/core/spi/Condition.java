package dev.ersatz.core.spi;

import dev.ersatz.core.UserInputException;
import java.util.List;
import java.util.Objects;

/**
 * Fixed values for some columns: {@code --where col=value} on the command line.
 *
 * @param clauses one per column; a column appears at most once
 */
public record Condition(List<Clause> clauses) {
  public Condition {
    clauses = List.copyOf(clauses);
    for (int i = 0; i < clauses.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (clauses.get(i).column().equals(clauses.get(j).column())) {
          throw new UserInputException("column '" + clauses.get(i).column()
              + "' is conditioned twice; give one --where per column");
        }
      }
    }
  }

  public static final Condition NONE = new Condition(List.of());

  public boolean isEmpty() {
    return clauses.isEmpty();
  }

  /**
   * Parses {@code col=value}.
   *
   * @throws UserInputException when there is no '='
   */
  public static Clause parseClause(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new UserInputException("--where expects column=value but got '" + text + "'");
    }
    return new Clause(text.substring(0, eq).trim(), text.substring(eq + 1));
  }

  /** One fixed value; {@code value} is the text as it would appear in the input file. */
  public record Clause(String column, String value) {
    public Clause {
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(value, "value");
    }
  }
}
