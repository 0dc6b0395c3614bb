package dev.weir.delivery;

import java.util.List;

/**
 * A closed batch bound for the worker lane {@code lane}. Immutable list, mutable items (see {@link
 * Item}).
 */
record Batch(int lane, List<Item> items) {}
