package dev.ersatz.llm.review;

/**
 * One example drawn for human review.
 *
 * @param round the round
 * @param exampleId the example's id
 * @param stratum the stratum it was drawn from
 * @param instruction the instruction as generated
 * @param input the input as generated
 * @param output the output as generated
 */
public record ReviewItem(int round, String exampleId, String stratum, String instruction, String input, String output) {}
