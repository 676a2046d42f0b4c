package dev.ersatz.llm;

import dev.ersatz.llm.config.PipelineConfigs;
import dev.ersatz.llm.endpoint.Cassette;
import dev.ersatz.llm.testing.HashingEmbedder;
import java.nio.file.Path;

/** Runs a pipeline in a child JVM so a test can kill it mid-run. */
public final class ResumeChild {
  private ResumeChild() {}

  /**
   * Runs the pipeline of a config file.
   *
   * @param args the config path
   */
  public static void main(String[] args) {
    Pipeline.Options o = new Pipeline.Options(System::getenv, HashingEmbedder::new, Cassette.Mode.AUTO, 10, 200);
    Pipeline.of(PipelineConfigs.read(Path.of(args[0])), o).run(ProgressListener.NONE);
  }
}
