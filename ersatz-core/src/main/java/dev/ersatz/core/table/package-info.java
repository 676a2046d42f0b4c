/** Columnar tables: real input and synthetic row batches share one representation. */
package dev.ersatz.core.table;
