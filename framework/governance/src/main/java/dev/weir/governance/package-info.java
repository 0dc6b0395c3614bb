/**
 * Tracking plans: loading and watching plan files, and the per-source {@link
 * dev.weir.governance.Enforcer} that flags, trims, blocks or quarantines off-plan events; {@code
 * weir plan}.
 */
package dev.weir.governance;
