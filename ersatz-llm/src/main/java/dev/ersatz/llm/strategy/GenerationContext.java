package dev.ersatz.llm.strategy;

import dev.ersatz.core.random.RandomSource;
import dev.ersatz.llm.Example;
import dev.ersatz.llm.endpoint.LlmEndpoint;
import java.util.List;

/**
 * What a strategy needs to generate one round.
 *
 * @param round the round number, from 1
 * @param count candidates to generate
 * @param seeds the human seed examples
 * @param machine machine examples kept in earlier rounds
 * @param generator the generating endpoint
 * @param rng the round's random source (split per slot by strategies)
 * @param templates the prompt templates
 * @param humanExamples in-context human examples per prompt
 * @param machineExamples in-context machine examples per prompt
 * @param topics topics grid axis
 * @param audiences audiences grid axis
 * @param styles styles grid axis
 */
public record GenerationContext(
    int round, int count, List<Example> seeds, List<Example> machine, LlmEndpoint generator, RandomSource rng,
    Templates templates, int humanExamples, int machineExamples, List<String> topics, List<String> audiences,
    List<String> styles) {}
