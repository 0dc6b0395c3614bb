package dev.weir.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** The module's shared Jackson mapper; thread-safe. */
final class DeliveryJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private DeliveryJson() {}

  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
