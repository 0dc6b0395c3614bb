package dev.weir.bench.definitions;

/**
 * The ads-conversions example's mapping (portal-config-examples/definitions/ads-conversions.yaml),
 * inline.
 */
final class AdsMapping {
  private AdsMapping() {}

  static String definition(String id, String version) {
    return """
        apiVersion: weir.dev/v1
        kind: Destination
        metadata:
          id: %s
          name: Ads conversions (Meta CAPI style)
          version: %s
          partner: Example Ads Inc.
          category: advertising
        settings:
          type: object
          required: [pixel_id, access_token]
          properties:
            pixel_id: {type: string, pattern: "^[0-9]+$"}
            access_token: {type: string, secret: true}
            test_event_code: {type: string}
        auth:
          kind: api_key
          in: query
          name: access_token
          value: "{{ settings.access_token }}"
        requests:
          - name: conversions
            trigger:
              event_types: [Order Completed, Sign Up, Add To Cart]
            method: POST
            url: "https://graph.example-ads.com/v19.0/{{ settings.pixel_id }}/events"
            body: |
              {
                "data": [events.{
                  "event_name": event_type = "Order Completed" ? "Purchase"
                              : event_type = "Sign Up" ? "CompleteRegistration" : "AddToCart",
                  "event_time": $floor(time / 1000),
                  "event_id": insert_id,
                  "action_source": "website",
                  "user_data": {
                    "em": user_properties.email ? [$sha256Email(user_properties.email)],
                    "ph": user_properties.phone ? [$sha256Phone(user_properties.phone)],
                    "external_id": user_id ? [$sha256(user_id)],
                    "client_ip_address": ip,
                    "client_user_agent": user_agent
                  },
                  "custom_data": revenue ? {"currency": currency ? currency : "USD", "value": revenue}
                }],
                "test_event_code": $$.settings.test_event_code
              }
        delivery:
          mode: batch
          batch: {max_events: 1000, max_bytes: 2000000}
        tests:
          - name: smoke
            settings: {pixel_id: "1", access_token: "t-123"}
            events: [{event_type: Order Completed, insert_id: a, time: 1}]
            expect: {}
        """
        .formatted(id, version);
  }
}
