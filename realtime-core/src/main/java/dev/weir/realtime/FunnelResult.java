package dev.weir.realtime;

import java.util.List;

/** Distinct users reaching each step, in step order. */
public record FunnelResult(List<Long> usersPerStep) {}
