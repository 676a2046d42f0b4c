/** Drift: per-column PSI, Kolmogorov-Smirnov and chi-square tests between any two tables. */
package dev.ersatz.eval.drift;
