/**
 * Plugin loading with pf4j: jar checks, one manager per plugin version, hot reload, and the one
 * list of packages shared with plugins.
 */
package dev.weir.host.plugin;
