/**
 * Utility: is a model trained on synthetic data as good on real data as one trained on real
 * data (train-synthetic-test-real vs train-real-test-real with LightGBM)?
 */
package dev.ersatz.eval.utility;
