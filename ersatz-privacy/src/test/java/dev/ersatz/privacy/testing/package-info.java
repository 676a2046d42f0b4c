/** Test helpers: a tiny CSV reader and writer standing in for ersatz-io. */
package dev.ersatz.privacy.testing;
