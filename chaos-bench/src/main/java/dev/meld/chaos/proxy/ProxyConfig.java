package dev.meld.chaos.proxy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A proxy as a {@code POST /proxies} or {@code /populate} entry describes it. A missing listen
 * address means {@code 127.0.0.1:0}: loopback, any free port.
 */
record ProxyConfig(String name, HostPort listen, HostPort upstream, boolean enabled) {

  static final String DEFAULT_LISTEN = "127.0.0.1:0";

  /**
   * @param where suffix for missing-field errors, e.g. {@code " at proxy 2"} in a populate list
   */
  static ProxyConfig fromJson(JsonNode body, String where) {
    if (!body.isObject()) {
      throw ApiException.badRequest(Json.describe(body) + " (expected: a JSON object)");
    }
    String name = Json.string(body, "name", "");
    String listen = Json.string(body, "listen", "");
    String upstream = Json.string(body, "upstream", "");
    boolean enabled = Json.bool(body, "enabled", true);
    if (name.isEmpty()) {
      throw ApiException.missingField("name" + where);
    }
    if (name.indexOf('/') >= 0) {
      throw ApiException.badRequest("name: \"" + name + "\" (expected: no '/')");
    }
    if (upstream.isEmpty()) {
      throw ApiException.missingField("upstream" + where);
    }
    return new ProxyConfig(
        name,
        HostPort.parse("listen", listen.isEmpty() ? DEFAULT_LISTEN : listen),
        HostPort.parse("upstream", upstream),
        enabled);
  }
}
