/** Column types and schemas: what a table holds and how it is written back. */
package dev.ersatz.core.schema;
