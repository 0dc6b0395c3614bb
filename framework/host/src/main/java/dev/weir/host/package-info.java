/**
 * The host: {@link dev.weir.host.Weir} starts and stops every component of one workspace; the rest
 * of the package wires them (package-private).
 */
package dev.weir.host;
