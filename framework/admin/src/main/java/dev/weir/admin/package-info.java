/**
 * The admin HTTP API ({@code /api/v1}), Prometheus metrics, health endpoints and the web console
 * with its live event debugger. Entry point {@link dev.weir.admin.AdminServer}; it reaches the
 * running components only through {@link dev.weir.admin.AdminBackend}, which the host implements.
 */
package dev.weir.admin;
