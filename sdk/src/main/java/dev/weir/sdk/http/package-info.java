/**
 * HTTP for connectors without an HTTP library on the plugin's class path: {@link
 * dev.weir.sdk.http.HttpClient} (from {@code ConnectorContext.http()}), {@link
 * dev.weir.sdk.http.HttpRequest} and {@link dev.weir.sdk.http.HttpResponse}. The host implements
 * the client over its shared OkHttp pool (see docs/adr/0007-sdk-http-seam.md).
 */
package dev.weir.sdk.http;
