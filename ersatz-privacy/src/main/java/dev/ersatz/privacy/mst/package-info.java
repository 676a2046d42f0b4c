/**
 * The {@code dp} generator: a differentially private, tree-structured model of a table after
 * MST (McKenna, Miklau and Sheldon, "Winning the NIST Contest: A scalable and general approach
 * to differentially private synthetic data", Journal of Privacy and Confidentiality 2021).
 *
 * <p>Every access to the real rows goes through a mechanism of {@link
 * dev.ersatz.privacy.PrivacyAccountant}; docs/differential-privacy.md lists each step with its
 * mechanism, sensitivity and share of the budget.
 */
package dev.ersatz.privacy.mst;
