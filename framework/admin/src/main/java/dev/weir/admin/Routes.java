package dev.weir.admin;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers handlers on Javalin and remembers them, so a test can check the OpenAPI file covers
 * every route. Routes need the admin token unless registered with {@link #publicGet}.
 */
final class Routes {
  record Route(String method, String path) {}

  private final Javalin app;
  private final List<Route> routes = new ArrayList<>();

  Routes(Javalin app) {
    this.app = app;
  }

  void get(String path, Handler h) {
    routes.add(new Route("get", path));
    app.get(path, h);
  }

  /** A GET route that needs no admin token (see {@link AdminAuth}). */
  void publicGet(String path, Handler h) {
    routes.add(new Route("get", path));
    app.get(path, h, AdminAuth.Access.PUBLIC);
  }

  void post(String path, Handler h) {
    routes.add(new Route("post", path));
    app.post(path, h);
  }

  void delete(String path, Handler h) {
    routes.add(new Route("delete", path));
    app.delete(path, h);
  }

  List<Route> all() {
    return List.copyOf(routes);
  }
}
