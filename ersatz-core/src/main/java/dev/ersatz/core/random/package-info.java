/** Seeded, splittable randomness: the only source of random choices in Ersatz. */
package dev.ersatz.core.random;
