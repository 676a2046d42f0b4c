/**
 * Privacy: exact matches, distances to closest records, a membership attack, and the release
 * gate that drops synthetic rows too close to real ones; all on one documented mixed-type
 * distance with exact nearest-neighbour search.
 */
package dev.ersatz.eval.privacy;
