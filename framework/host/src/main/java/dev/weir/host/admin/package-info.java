/**
 * Host-side pieces of admin operations, such as the durable per-destination user-deletion request
 * files.
 */
package dev.weir.host.admin;
