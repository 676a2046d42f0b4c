package dev.ersatz.models;

import dev.ersatz.testkit.SynthesizerContractTest;

class IndependentContractTest extends SynthesizerContractTest {
  @Override
  protected String generatorName() {
    return "independent";
  }
}
