/** Detection: can a classifier tell real rows from synthetic ones? */
package dev.ersatz.eval.detection;
