package dev.weir.definitions;

import dev.weir.runtime.OkHttpConnectorHttp;
import dev.weir.sdk.ConnectorContext;
import dev.weir.sdk.ConnectorSpec;
import dev.weir.sdk.Event;
import dev.weir.sdk.Outcome;
import dev.weir.sdk.StreamingDestination;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A partner definition running as a {@link StreamingDestination}: each {@code deliver} plans the
 * requests (trigger, mapping, batch splitting), sends each once through the host's HTTP client with
 * the definition's auth, and classifies every response into per-event outcomes. Retries, backoff
 * and rate limits stay with the delivery engine. Thread-safe after {@link #start}; one instance per
 * configured destination.
 */
final class DefinitionDestination extends StreamingDestination {
  private final Definition def;
  private final LongSupplier clock;
  private volatile RequestPlanner planner;
  private volatile ResponseClassifier classifier;
  private volatile OkHttpClient http;

  DefinitionDestination(Definition def, LongSupplier clock) {
    this.def = def;
    this.clock = clock;
  }

  @Override
  public ConnectorSpec spec() {
    return def.spec();
  }

  @Override
  public void start(ConnectorContext context) {
    Map<String, Object> settings = def.withDefaults(context.settings().asMap());
    OkHttpClient base = OkHttpConnectorHttp.okHttp(context);
    OAuth2Tokens tokens =
        "oauth2".equals(def.authKind())
            ? new OAuth2Tokens(
                def.auth,
                settings,
                context.state(),
                base,
                clock,
                context.logger(),
                secrets(def, settings))
            : null;
    AuthSigner signer = new AuthSigner(def.auth, settings, tokens, clock);
    this.http =
        base.newBuilder()
            .addInterceptor(new AuthInterceptor(signer, actionSigners(def, settings, clock)))
            .build();
    this.planner = new RequestPlanner(def, settings);
    this.classifier = new ResponseClassifier(def.delivery, def.responses);
  }

  @Override
  public List<Outcome> deliver(List<Event> batch) {
    if (planner == null) {
      throw new IllegalStateException("deliver before start");
    }
    Outcome[] outcomes = new Outcome[batch.size()];
    RequestPlanner.Plan plan = planner.plan(batch, clock.getAsLong());
    plan.rejected().forEach((i, reason) -> outcomes[i] = Outcome.rejected(reason));
    for (int i : plan.skipped()) {
      outcomes[i] = Outcome.delivered();
    }
    for (PlannedRequest r : plan.requests()) {
      List<Outcome> res = send(r, batch);
      for (int k = 0; k < r.events().size(); k++) {
        outcomes[r.events().get(k)] = res.get(k);
      }
    }
    return Arrays.asList(outcomes);
  }

  /** The action a definition declares to receive user deletions. */
  static final String DELETE_USER_ACTION = "delete_user";

  /** The event type of the one event a user deletion is planned as. */
  static final String DELETE_USER_EVENT = "weir_delete_user";

  /** When the definition declares a {@value #DELETE_USER_ACTION} request. */
  @Override
  public boolean deletesUsers() {
    return def.actionNames().contains(DELETE_USER_ACTION);
  }

  /**
   * Plans the deletion as one event of type {@value #DELETE_USER_EVENT} (the user id, source id,
   * the deletion id as {@code insert_id}, the device ids in {@code event_properties.device_ids})
   * and sends only the requests of the {@value #DELETE_USER_ACTION} action, classified as the
   * definition says: delivered when each was, else a retry when any asks for one, else rejected.
   */
  @Override
  public Outcome deleteUser(dev.weir.sdk.UserDeletion request) {
    if (planner == null) {
      throw new IllegalStateException("deleteUser before start");
    }
    long now = clock.getAsLong();
    Event e =
        Event.builder()
            .eventType(DELETE_USER_EVENT)
            .userId(request.userId())
            .sourceId(request.sourceId())
            .insertId(request.deletionId())
            .time(now)
            .eventProperties(
                Map.of("device_ids", List.copyOf(new java.util.TreeSet<>(request.deviceIds()))))
            .build();
    RequestPlanner.Plan plan = planner.plan(List.of(e), now);
    List<PlannedRequest> requests =
        plan.requests().stream().filter(r -> DELETE_USER_ACTION.equals(r.action())).toList();
    if (requests.isEmpty()) {
      String why = plan.rejected().getOrDefault(0, "its trigger did not select the event");
      return Outcome.rejected(
          "the definition's " + DELETE_USER_ACTION + " request was not planned: " + why);
    }
    Outcome retry = null;
    Outcome rejected = null;
    for (PlannedRequest r : requests) {
      Outcome o = send(r, List.of(e)).get(0);
      switch (o.status()) {
        case RETRY -> retry = retry == null ? o : retry;
        case REJECTED -> rejected = rejected == null ? o : rejected;
        case DELIVERED -> {}
      }
    }
    return retry != null ? retry : rejected != null ? rejected : Outcome.delivered();
  }

  private List<Outcome> send(PlannedRequest r, List<Event> batch) {
    List<Map<String, Object>> events = new ArrayList<>(r.events().size());
    for (int i : r.events()) {
      events.add(batch.get(i).toMap());
    }
    try (Response resp = http.newCall(toOkHttp(r)).execute()) {
      String body = resp.body().string();
      return classifier.classify(resp.code(), resp::header, body, events, clock.getAsLong());
    } catch (AuthInterceptor.TokenFailure e) {
      Outcome o = Outcome.retry(e.getMessage());
      if (e.cause.status() > 0) {
        o = o.withStatusCode(e.cause.status());
      }
      return java.util.Collections.nCopies(events.size(), o);
    } catch (IOException | RuntimeException e) {
      Outcome o =
          Outcome.retry(
              "request for action '"
                  + r.action()
                  + "' failed: "
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : " " + e.getMessage()));
      return java.util.Collections.nCopies(events.size(), o);
    }
  }

  /** A redactor of the secret settings' values. */
  static dev.weir.runtime.Redactor secrets(Definition def, Map<String, Object> settings) {
    List<String> values = new ArrayList<>();
    for (String name : def.secretSettings) {
      Object v = settings.get(name);
      if (v != null) {
        values.add(v.toString());
      }
    }
    return dev.weir.runtime.Redactor.of(values);
  }

  /** Signers of the actions that declare their own auth, by action name. */
  static Map<String, AuthSigner> actionSigners(
      Definition def, Map<String, Object> settings, java.util.function.LongSupplier clock) {
    Map<String, AuthSigner> out = new java.util.HashMap<>();
    for (DefinitionModel.Action a : def.actions) {
      if (a.auth() != null) {
        out.put(a.name(), new AuthSigner(a.auth(), settings, null, clock));
      }
    }
    return out;
  }

  static Request toOkHttp(PlannedRequest r) {
    Request.Builder b = new Request.Builder().url(r.url()).tag(String.class, r.action());
    r.headers().forEach(b::header);
    RequestBody body = null;
    if (r.body() != null) {
      String ct =
          r.headers().entrySet().stream()
              .filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(r.contentType());
      body = RequestBody.create(r.body(), MediaType.get(ct));
    } else if (!r.method().equals("GET") && !r.method().equals("DELETE")) {
      body = RequestBody.create(new byte[0], null);
    }
    return b.method(r.method(), body).build();
  }
}
