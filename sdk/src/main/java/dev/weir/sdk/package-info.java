/**
 * The Weir connector SDK. Implement {@link dev.weir.sdk.SourceConnector}, {@link
 * dev.weir.sdk.StreamingDestination} or {@link dev.weir.sdk.BatchDestination}, annotate the class
 * with {@code @org.pf4j.Extension}, and declare this SDK and pf4j as {@code provided}: the host
 * loads these packages (and slf4j and OkHttp) parent-first, and refuses plugins that bundle them.
 */
package dev.weir.sdk;
