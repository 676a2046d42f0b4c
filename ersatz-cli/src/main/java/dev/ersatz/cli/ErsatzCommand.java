package dev.ersatz.cli;

import dev.ersatz.core.spi.Version;
import picocli.CommandLine.Command;

/** The top-level command; its subcommands do the work. */
@Command(name = "ersatz", mixinStandardHelpOptions = true, versionProvider = ErsatzCommand.V.class,
    description = "Synthetic data for the JVM: learn from real tables, sample rows that keep "
        + "their statistics and none of their people.",
    subcommands = {DemoCommand.class, ProfileCommand.class, FitCommand.class,
        SampleCommand.class, InspectCommand.class, EvaluateCommand.class, GeneratorsCommand.class,
        InstructCommand.class, ReviewCommand.class, KeysCommand.class, VerifyCommand.class,
        LineageCommand.class, CardCommand.class, PrivacyCommand.class,
        picocli.CommandLine.HelpCommand.class})
public final class ErsatzCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints the version from the jar manifest. */
  public static final class V implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Ersatz " + Version.get() + " (Java " + System.getProperty(
          "java.version") + ")"};
    }
  }
}
