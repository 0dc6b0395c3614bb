/**
 * The {@code weir connector} commands for partners: validate, test (fixtures), send, upgrade-
 * check.
 */
package dev.weir.definitions.cli;
