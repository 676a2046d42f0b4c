package dev.ersatz.cli;

import dev.ersatz.core.json.Json;
import dev.ersatz.core.spi.FittedModel;
import dev.ersatz.core.spi.ModelProvenance;
import dev.ersatz.io.ModelFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ersatz inspect}: what a model learned, how it was made, its privacy settings. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show what a model learned (structure, per-column diagnostics), how it was "
        + "made and its privacy settings.")
public final class InspectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL")
  Path model;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FittedModel m = ModelFiles.read(model);
    ModelProvenance p = m.provenance();
    out.println("model      " + model);
    out.println("generator  " + m.generator() + " " + Json.write(p.parameters()));
    out.println("source     " + p.source().name() + " (" + Console.count(p.source().rows())
        + " rows, sha256 " + abbreviate(p.source().sha256()) + ")");
    out.println("fitted     " + p.createdAt() + " with Ersatz " + p.ersatzVersion() + ", Java "
        + p.javaVersion() + ", seed " + p.seed());
    out.println("privacy    " + Json.write(p.privacy()));
    boolean dp = Boolean.TRUE.equals(p.privacy().get("differentialPrivacy"))
        || Boolean.TRUE.equals(p.privacy().get("dp"));
    if (p.privacy().get("epsilon") instanceof Number eps) {
      out.println("           epsilon " + Ledgers.num(eps.doubleValue()) + ", delta "
          + numOrDash(p.privacy().get("delta")) + ", zCDP rho " + numOrDash(p.privacy().get("rho"))
          + "; accounting " + p.privacy().getOrDefault("accounting", "-") + "; mechanism "
          + p.privacy().getOrDefault("mechanism", "-") + "; dp " + dp);
    }
    out.println(dp ? "           differentially private: this model file is safe to share"
        : "           not differentially private: share this file only as you would the data");
    out.println();
    out.print(m.describe());
    out.flush();
    return Main.OK;
  }

  private static String numOrDash(Object o) {
    return o instanceof Number n ? Ledgers.num(n.doubleValue()) : "-";
  }

  private static String abbreviate(String sha) {
    return sha.length() > 16 ? sha.substring(0, 16) + "..." : sha;
  }
}
