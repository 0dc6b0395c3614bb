package dev.weir.host.pipeline;

import dev.weir.host.config.Workspace.DeliveryOptions;
import dev.weir.host.config.Workspace.Filter;
import dev.weir.sdk.Event;
import dev.weir.sdk.StreamingDestination;
import java.util.Set;
import org.slf4j.Logger;

/**
 * One started streaming destination and what it receives. Immutable.
 *
 * @param destinationId the workspace id of the destination
 * @param destination the started connector instance
 * @param sources ids of the sources routed to it
 * @param filter which event types it takes
 * @param delivery batching and retry settings
 * @param logger the destination's logger ({@code weir.connector.<id>})
 */
public record StreamRoute(String destinationId, StreamingDestination destination, Set<String> sources, Filter filter,
    DeliveryOptions delivery, Logger logger) {
  public StreamRoute {
    sources = Set.copyOf(sources);
  }

  boolean wants(Event e) {
    return sources.contains(e.sourceId()) && filter.accepts(e.eventType());
  }
}
