package dev.ersatz.models;

import dev.ersatz.testkit.SynthesizerContractTest;

class TreesContractTest extends SynthesizerContractTest {
  @Override
  protected String generatorName() {
    return "trees";
  }
}
