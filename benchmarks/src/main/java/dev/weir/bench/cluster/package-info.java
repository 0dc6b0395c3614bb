/** Cluster mode's cost: store nodes on an in-process broker against one node on the same data. */
package dev.weir.bench.cluster;
