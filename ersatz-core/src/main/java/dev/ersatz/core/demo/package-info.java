/** The built-in demo data, made in code from a seed. */
package dev.ersatz.core.demo;
