/**
 * Differential privacy: noise mechanisms (Gaussian, Laplace, exponential) with zero-concentrated
 * DP accounting (Bun and Steinke 2016), conversion to (epsilon, delta)-DP (Canonne, Kamath and
 * Steinke 2020), and a {@link dev.ersatz.privacy.PrivacyAccountant} that refuses to overspend.
 *
 * <p>Sub-packages: {@code ledger} keeps each dataset's total budget across fits in a small
 * database; {@code mst} is the {@code dp} generator (MST, McKenna, Miklau and Sheldon 2021).
 */
package dev.ersatz.privacy;
