/** Canonical JSON for model files, metadata and provenance hashing, with no framework. */
package dev.ersatz.core.json;
