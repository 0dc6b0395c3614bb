/**
 * Logback converters that route every log line through the running workspace's {@code Redactor}.
 */
package dev.weir.host.logging;
