/**
 * Governance for synthetic outputs: signed manifests, the lineage catalog, dataset cards and
 * keyed watermarks. Entry points: {@link dev.ersatz.provenance.Manifests},
 * {@link dev.ersatz.provenance.Keys}, {@link dev.ersatz.provenance.Verifier},
 * {@link dev.ersatz.provenance.Catalog}, {@link dev.ersatz.provenance.Lineage},
 * {@link dev.ersatz.provenance.Cards} and {@link dev.ersatz.provenance.Watermark}.
 */
package dev.ersatz.provenance;
