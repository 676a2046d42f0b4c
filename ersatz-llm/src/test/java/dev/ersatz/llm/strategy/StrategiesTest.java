package dev.ersatz.llm.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.llm.Example;
import dev.ersatz.llm.Lineage;
import dev.ersatz.llm.endpoint.Completion;
import dev.ersatz.llm.endpoint.LlmEndpoint;
import dev.ersatz.llm.endpoint.Prompt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategiesTest {
  /** An endpoint answering from a function, recording prompts. */
  static final class Stub implements LlmEndpoint {
    final Function<String, String> answer;
    final List<Prompt> prompts = Collections.synchronizedList(new ArrayList<>());

    Stub(Function<String, String> answer) {
      this.answer = answer;
    }

    @Override
    public String name() {
      return "stub";
    }

    @Override
    public String model() {
      return "stub-model";
    }

    @Override
    public Completion complete(Prompt p) {
      prompts.add(p);
      return new Completion("stub", "stub-model", answer.apply(p.user()), null, false, 1, 1, 0);
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of("name", "stub");
    }
  }

  static List<Example> seeds(int n) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Example("seed" + i, "Seed task number " + i + " about things.", "", "answer",
          new Lineage("human", "human", "human", Map.of(), List.of(), null, 0, "generation", List.of(), Map.of(), null, "human")));
    }
    return out;
  }

  static GenerationContext ctx(LlmEndpoint e, Templates t, List<Example> machine) {
    return new GenerationContext(2, 4, seeds(10), machine, e, RandomSource.of(5), t, 6, 2,
        List.of("tides", "bread"), List.of("a child"), List.of("a story", "a list"));
  }

  @Test
  void selfInstructSamplesHumanAndMachineExamplesAndParsesInstances() {
    Stub s = new Stub(p -> p.contains("Is it classification?") ? "No"
        : p.contains("Output: <the output>") ? "Input: <noinput>\nOutput: The answer." : "Task 9: Name three rivers in Asia.");
    List<Example> machine = List.of(seeds(3).get(0), seeds(3).get(1)).stream()
        .map(e -> new Example("r1-0000" + e.id().charAt(4), "Machine " + e.instruction(), "", "a", e.lineage())).toList();
    Candidate c = new SelfInstruct().generate(ctx(s, Templates.of(null), machine), 3);
    assertThat(c.failure()).isNull();
    assertThat(c.instruction()).isEqualTo("Name three rivers in Asia.");
    assertThat(c.input()).isEmpty();
    assertThat(c.output()).isEqualTo("The answer.");
    assertThat(c.contextIds()).hasSize(8).filteredOn(id -> id.startsWith("seed")).hasSize(6);
    assertThat(c.requestIds()).containsExactly("r2/s3/instruction", "r2/s3/classify", "r2/s3/instance");
    assertThat(c.templates()).containsKeys("self-instruct-instruction", "self-instruct-is-classification", "self-instruct-input-first");
    assertThat(c.stratum()).isEqualTo("generation");
    // same slot, same prompt: deterministic
    Stub s2 = new Stub(s.answer);
    new SelfInstruct().generate(ctx(s2, Templates.of(null), machine), 3);
    assertThat(s2.prompts.get(0)).isEqualTo(s.prompts.get(0));
  }

  @Test
  void selfInstructOutputFirstForClassificationAndMalformedInstances() {
    Stub cls = new Stub(p -> p.contains("Is it classification?") ? "Yes"
        : p.contains("Class label: <the label>") ? "Class label: spam\nInput: Win a free cruise now!" : "Is this email spam?");
    Candidate c = new SelfInstruct().generate(ctx(cls, Templates.of(null), List.of()), 0);
    assertThat(c.stratum()).isEqualTo("classification");
    assertThat(c.output()).isEqualTo("spam");
    assertThat(c.input()).isEqualTo("Win a free cruise now!");
    Stub bad = new Stub(p -> p.contains("Is it classification?") ? "No" : p.contains("Output: <the output>") ? "just text" : "Do a thing now.");
    assertThat(new SelfInstruct().generate(ctx(bad, Templates.of(null), List.of()), 0).failure()).contains("malformed instance");
  }

  @Test
  void evolInstructEliminationRules() {
    Stub ok = new Stub(p -> p.contains("#Given Prompt#") ? "Explain tides to a sailor, citing two lunar phases and one safety rule."
        : "Tides rise and fall because the moon pulls the oceans; spring tides follow full and new moons.");
    Candidate c = new EvolInstruct().generate(ctx(ok, Templates.of(null), List.of()), 1);
    assertThat(c.failure()).isNull();
    assertThat(c.parentId()).startsWith("seed");
    assertThat(c.stratum()).matches("in-depth:.*|in-breadth");
    assertThat(c.contextIds()).containsExactly(c.parentId());

    Stub copies = new Stub(p -> p.contains("#Given Prompt#") ? "#Rewritten Prompt#: the rewritten prompt is here" : "fine answer here");
    assertThat(new EvolInstruct().generate(ctx(copies, Templates.of(null), List.of()), 1).failure()).contains("copies");
    Stub same = new Stub(p -> p.contains("#Given Prompt#") ? p.substring(p.indexOf("#Given Prompt#:") + 15).strip() : "fine answer here");
    assertThat(new EvolInstruct().generate(ctx(same, Templates.of(null), List.of()), 1).failure()).contains("no information gain");
    Stub sorry = new Stub(p -> p.contains("#Given Prompt#") ? "Write a sonnet about tides for sailors with a twist ending." : "Sorry, I cannot help with that.");
    assertThat(new EvolInstruct().generate(ctx(sorry, Templates.of(null), List.of()), 1).failure()).contains("apology");
    Stub stop = new Stub(p -> p.contains("#Given Prompt#") ? "Write a sonnet about tides for sailors with a twist ending." : "... the and, of it!");
    assertThat(new EvolInstruct().generate(ctx(stop, Templates.of(null), List.of()), 1).failure()).contains("stop words");
  }

  @Test
  void topicsWalkTheGridAcrossRounds() {
    Stub s = new Stub(p -> p.contains("self-contained instruction") ? "Why do tides happen twice a day?" : "Because of the moon.");
    List<String> strata = new ArrayList<>();
    for (int slot = 0; slot < 4; slot++) {
      strata.add(new Topics().generate(ctx(s, Templates.of(null), List.of()), slot).stratum());
    }
    // round 2 with 4 per round starts at cell 4 of the 2 x 1 x 2 grid: cells 0..3 again
    assertThat(strata).containsExactly("tides", "bread", "tides", "bread");
    assertThat(s.prompts.get(0).user()).contains("tides", "a child", "a story");
    assertThat(s.prompts.get(4).user()).contains("tides", "a list");
  }

  @Test
  void templatesAreOverridableAndHashed(@TempDir Path dir) throws Exception {
    Templates builtIn = Templates.of(null);
    Files.writeString(dir.resolve("answer.txt"), "Answer carefully: {{instruction}}\n", StandardCharsets.UTF_8);
    Templates custom = Templates.of(dir);
    assertThat(custom.render("answer", Map.of("instruction", "Hi"))).isEqualTo("Answer carefully: Hi\n");
    assertThat(custom.hash("answer")).hasSize(64).isNotEqualTo(builtIn.hash("answer"));
    assertThat(custom.hash("judge")).isEqualTo(builtIn.hash("judge"));
  }
}
