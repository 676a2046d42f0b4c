package dev.ersatz.cli;

import dev.ersatz.core.UserInputException;
import dev.ersatz.provenance.Keys;
import dev.ersatz.provenance.SigningKey;
import dev.ersatz.provenance.WatermarkKey;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ersatz keys}: the Ed25519 key pair that signs manifests, and the watermark key. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Manage the signing key pair (Ed25519) and the watermark key.",
    subcommands = {KeysCommand.Init.class, KeysCommand.Show.class})
public final class KeysCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code ersatz keys init}: creates the key pair (and with --watermark, a watermark key). */
  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create an Ed25519 signing key pair in the key directory (never overwrites "
          + "one); with --watermark also a watermark key.")
  static final class Init implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Governance.KeyDirOption keys;

    @Option(names = "--watermark", description = "also create the watermark key "
        + "(watermark.key), used by sample --watermark and verify --watermark")
    boolean watermark;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = keys.dir();
      boolean haveSigning = Files.exists(dir.resolve(Keys.PRIVATE_FILE));
      if (haveSigning && !watermark) {
        throw new UserInputException("a signing key already exists in " + dir + "; it is "
            + "never overwritten. Delete it yourself to replace it, or choose another "
            + "directory with --key-dir");
      }
      if (!haveSigning) {
        SigningKey k = Keys.init(dir);
        out.println("created signing key " + k.keyId() + " in " + dir);
        out.println("  private key: " + dir.resolve(Keys.PRIVATE_FILE)
            + " (mode 600; keep it out of repositories, never share it)");
        out.println("  public key:  " + dir.resolve(Keys.PUBLIC_FILE)
            + " (give it to whoever verifies your outputs: ersatz verify --public-key)");
      } else {
        out.println("signing key " + Keys.keyId(Keys.loadPublic(dir)) + " already in " + dir
            + "; kept");
      }
      if (watermark) {
        WatermarkKey wk = Keys.initWatermark(dir);
        out.println("created watermark key " + wk.keyId() + ": "
            + dir.resolve(Keys.WATERMARK_FILE) + " (mode 600; keep it secret: whoever holds "
            + "it can detect the watermark, and could remove it)");
      }
      out.flush();
      return Main.OK;
    }
  }

  /** {@code ersatz keys show}: the key ids and files in use, never key material. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Print the key directory, key ids and public key file (never a secret).")
  static final class Show implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Governance.KeyDirOption keys;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = keys.dir();
      Path pub = dir.resolve(Keys.PUBLIC_FILE);
      if (!Files.exists(pub)) {
        throw new UserInputException("no signing key in " + dir + "; create one with "
            + "'ersatz keys init' (sample also creates one on first use)");
      }
      out.println("key directory: " + dir);
      out.println("signing key:   " + Keys.keyId(Keys.loadPublic(pub)) + " (public key " + pub
          + ")");
      Path wm = dir.resolve(Keys.WATERMARK_FILE);
      out.println("watermark key: " + (Files.exists(wm) ? Keys.loadWatermark(wm).keyId()
          : "none (ersatz keys init --watermark)"));
      out.flush();
      return Main.OK;
    }
  }
}
