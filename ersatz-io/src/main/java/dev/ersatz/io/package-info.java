/**
 * Reading and writing tables and models: CSV and Parquet readers with type inference
 * ({@link dev.ersatz.io.TableReader}), user-editable metadata files ({@link
 * dev.ersatz.io.Metadata}), fast streaming sinks for synthetic output ({@link dev.ersatz.io.Sinks}),
 * versioned model files ({@link dev.ersatz.io.ModelFiles}), fingerprints and atomic file
 * writes.
 */
package dev.ersatz.io;
