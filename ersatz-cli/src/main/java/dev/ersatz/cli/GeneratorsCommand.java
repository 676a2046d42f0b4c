package dev.ersatz.cli;

import dev.ersatz.core.spi.SynthesizerProvider;
import dev.ersatz.core.spi.Synthesizers;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ersatz generators}: the generators on the class path. */
@Command(name = "generators", mixinStandardHelpOptions = true,
    description = "List the available generators.")
public final class GeneratorsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (SynthesizerProvider p : Synthesizers.all()) {
      out.printf(Locale.ROOT, "%-12s %s%s%n", p.name(), p.description(),
          p.name().equals(FitCommand.DEFAULT_GENERATOR) ? "" : "");
    }
    out.flush();
    return Main.OK;
  }
}
