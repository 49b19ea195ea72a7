package dev.meld.chaos.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Toxiproxy HTTP API as a plain object: a request (method, path, body) in, a status and JSON
 * body out. Routes, status codes and error bodies follow Toxiproxy 2.x ({@code api.go}); the Netty
 * handler only translates HTTP to this and back.
 *
 * <pre>
 *   GET    /version                      200 {"version": ...}
 *   POST   /reset                        204   enable every proxy, remove every toxic
 *   GET    /proxies                      200 {name: proxy, ...}
 *   POST   /proxies                      201 proxy          409 name taken
 *   POST   /populate                     201 {"proxies": [...]}
 *   GET    /proxies/{p}                  200 proxy          404 unknown
 *   POST   /proxies/{p}  (or PATCH)      200 proxy          listen / upstream / enabled
 *   DELETE /proxies/{p}                  204
 *   GET    /proxies/{p}/toxics           200 [toxic, ...]
 *   POST   /proxies/{p}/toxics           200 toxic          409 name taken
 *   GET    /proxies/{p}/toxics/{t}       200 toxic          404 unknown
 *   POST   /proxies/{p}/toxics/{t}       200 toxic          toxicity / attributes
 *   DELETE /proxies/{p}/toxics/{t}       204
 * </pre>
 *
 * Errors are {@code {"error": message, "status": code}}; a malformed body is 400 and changes
 * nothing.
 */
final class ToxiproxyApi {

  private static final Logger LOG = LoggerFactory.getLogger(ToxiproxyApi.class);

  /** What {@code GET /version} reports, so a bench can tell this proxy from a real Toxiproxy. */
  static final String VERSION = "meld-fault-proxy/1 (toxiproxy-api 2)";

  private final ProxyRegistry registry;

  ToxiproxyApi(ProxyRegistry registry) {
    this.registry = registry;
  }

  /** A response: status and JSON body ({@code null} for 204). */
  record Response(int status, JsonNode body) {}

  Response handle(String method, String uri, String userAgent, byte[] body) {
    try {
      if (userAgent != null && userAgent.startsWith("Mozilla/")) {
        // Toxiproxy refuses browsers so a web page cannot reconfigure a developer's proxies.
        throw new ApiException(403, "User agent not allowed");
      }
      return route(method, new QueryStringDecoder(uri).path(), body);
    } catch (ApiException e) {
      return error(e.status(), e.getMessage());
    } catch (RuntimeException e) {
      // Toxiproxy answers any error without a status of its own with a 500.
      LOG.warn("fault proxy API: {} {} failed", method, uri, e);
      return error(500, String.valueOf(e.getMessage()));
    }
  }

  static Response error(int status, String message) {
    ObjectNode error = Json.object();
    error.put("error", message);
    error.put("status", status);
    return new Response(status, error);
  }

  private Response route(String method, String path, byte[] body) {
    List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/+", -1));
    String first = parts.get(0);
    if (parts.size() == 1 && first.equals("version")) {
      expect(method, "GET");
      ObjectNode version = Json.object();
      version.put("version", VERSION);
      return ok(version);
    }
    if (parts.size() == 1 && first.equals("reset")) {
      expect(method, "POST");
      registry.reset();
      return new Response(204, null);
    }
    if (parts.size() == 1 && first.equals("populate")) {
      expect(method, "POST");
      return populate(body);
    }
    boolean toxicsPath = parts.size() < 3 || parts.get(2).equals("toxics");
    if (!first.equals("proxies") || parts.size() > 4 || !toxicsPath) {
      throw new ApiException(404, "not found: " + path);
    }
    if (parts.size() == 1) {
      if (expect(method, "GET", "POST").equals("GET")) {
        return ok(registry.toJson());
      }
      return new Response(201, registry.create(Json.parse(body)).toJson());
    }
    FaultProxy proxy = registry.get(parts.get(1));
    if (parts.size() == 2) {
      return proxyRoute(method, proxy, body);
    }
    if (parts.size() == 3) {
      if (expect(method, "GET", "POST").equals("GET")) {
        ArrayNode list = Json.NODES.arrayNode();
        proxy.toxics().forEach(toxic -> list.add(toxic.toJson()));
        return ok(list);
      }
      return ok(proxy.addToxic(Json.parse(body)).toJson());
    }
    String toxic = parts.get(3);
    return switch (expect(method, "GET", "POST", "PATCH", "DELETE")) {
      case "GET" -> ok(proxy.toxic(toxic).toJson());
      case "DELETE" -> {
        proxy.removeToxic(toxic);
        yield new Response(204, null);
      }
      default -> {
        proxy.toxic(toxic); // 404 before 400, as Toxiproxy looks the toxic up first
        yield ok(proxy.updateToxic(toxic, Json.parse(body)).toJson());
      }
    };
  }

  private Response proxyRoute(String method, FaultProxy proxy, byte[] body) {
    return switch (expect(method, "GET", "POST", "PATCH", "DELETE")) {
      case "GET" -> ok(proxy.toJson());
      case "DELETE" -> {
        registry.delete(proxy.name());
        yield new Response(204, null);
      }
      default -> {
        ObjectNode update = Json.parseObject(body);
        String listen = Json.string(update, "listen", proxy.listen().toString());
        String upstream = Json.string(update, "upstream", proxy.upstream().toString());
        boolean enabled = Json.bool(update, "enabled", proxy.enabled());
        proxy.update(
            HostPort.parse("listen", listen), HostPort.parse("upstream", upstream), enabled);
        yield ok(proxy.toJson());
      }
    };
  }

  private Response populate(byte[] body) {
    ArrayNode list = Json.NODES.arrayNode();
    registry.populate(Json.parse(body)).forEach(proxy -> list.add(proxy.toJson()));
    ObjectNode result = Json.object();
    result.set("proxies", list);
    return new Response(201, result);
  }

  private static Response ok(JsonNode body) {
    return new Response(200, body);
  }

  /** Returns the method if it is one of {@code allowed}, else throws 405. */
  private static String expect(String method, String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equals(method)) {
        return method;
      }
    }
    throw new ApiException(
        405, "method not allowed: " + method + " (expected: " + String.join(" or ", allowed) + ")");
  }
}
