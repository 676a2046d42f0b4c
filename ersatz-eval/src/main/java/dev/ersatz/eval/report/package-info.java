/** Writing an evaluation report: {@code report.json} and a self-contained {@code report.html}. */
package dev.ersatz.eval.report;
