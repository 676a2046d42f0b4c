package dev.ersatz.models;

import dev.ersatz.testkit.SynthesizerContractTest;

class CopulaContractTest extends SynthesizerContractTest {
  @Override
  protected String generatorName() {
    return "copula";
  }
}
