package dev.ersatz.llm;

import dev.ersatz.llm.review.RoundStatus;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of a pipeline run.
 *
 * @param outputDir the run folder
 * @param roundsCompleted rounds finished (including earlier sessions of a resumed run)
 * @param kept examples kept by the filters, all rounds
 * @param promoted examples in the published corpus
 * @param stoppedByBudget true when the token or cost budget ended the run early
 * @param gate review gate status per round
 * @param warnings warnings raised (diversity falling, budget)
 */
public record RunResult(Path outputDir, int roundsCompleted, int kept, int promoted, boolean stoppedByBudget,
    List<RoundStatus> gate, List<String> warnings) {}
