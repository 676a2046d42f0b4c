/** Pipeline configuration: YAML/JSON files describing endpoints, strategy, filters, review and budget. */
package dev.ersatz.llm.config;
