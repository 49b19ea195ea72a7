package dev.meld.chaos.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The proxies of one server by name: what the collection-level API calls ({@code /proxies}, {@code
 * /populate}, {@code /reset}) act on. Its monitor serialises every change, so requests are applied
 * one at a time in arrival order. A request that fails validation changes nothing.
 */
final class ProxyRegistry {

  private final ProxyEngine engine;
  private final Map<String, FaultProxy> proxies = new TreeMap<>();

  ProxyRegistry(ProxyEngine engine) {
    this.engine = engine;
  }

  synchronized FaultProxy get(String name) {
    FaultProxy proxy = proxies.get(name);
    if (proxy == null) {
      throw ApiException.proxyNotFound();
    }
    return proxy;
  }

  /** {@code GET /proxies}: every proxy with its toxics, keyed and sorted by name. */
  synchronized ObjectNode toJson() {
    ObjectNode json = Json.object();
    proxies.forEach((name, proxy) -> json.set(name, proxy.toJson()));
    return json;
  }

  /** {@code POST /proxies}: 409 if the name is taken; a proxy that cannot listen is not added. */
  synchronized FaultProxy create(JsonNode body) {
    ProxyConfig config = ProxyConfig.fromJson(body, "");
    if (proxies.containsKey(config.name())) {
      throw new ApiException(409, "proxy already exists");
    }
    FaultProxy proxy = newProxy(config);
    proxies.put(config.name(), proxy);
    return proxy;
  }

  /**
   * {@code POST /populate}: creates or replaces every proxy of a list. The whole list is checked
   * before anything changes; an entry equal in listen address and upstream to an existing proxy
   * keeps that proxy (with its toxics and connections) untouched.
   */
  synchronized List<FaultProxy> populate(JsonNode body) {
    if (!body.isArray()) {
      throw ApiException.badRequest(Json.describe(body) + " (expected: a JSON array of proxies)");
    }
    List<ProxyConfig> configs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < body.size(); i++) {
      ProxyConfig config = ProxyConfig.fromJson(body.get(i), " at proxy " + (i + 1));
      if (!names.add(config.name())) {
        throw ApiException.badRequest(
            "name: \"" + config.name() + "\" at proxy " + (i + 1) + " (expected: unique names)");
      }
      configs.add(config);
    }
    List<FaultProxy> result = new ArrayList<>();
    for (ProxyConfig config : configs) {
      FaultProxy existing = proxies.get(config.name());
      if (existing != null
          && existing.listen().equals(config.listen())
          && existing.upstream().equals(config.upstream())) {
        result.add(existing);
        continue;
      }
      if (existing != null) {
        existing.stop();
        proxies.remove(config.name());
      }
      FaultProxy proxy = newProxy(config);
      proxies.put(config.name(), proxy);
      result.add(proxy);
    }
    return result;
  }

  /** {@code DELETE /proxies/{name}}: stops the proxy, closing its connections. */
  synchronized void delete(String name) {
    get(name).stop();
    proxies.remove(name);
  }

  /** {@code POST /reset}: every proxy enabled and without toxics. */
  synchronized void reset() {
    for (FaultProxy proxy : proxies.values()) {
      proxy.start();
      proxy.removeAllToxics();
    }
  }

  /** Stops every proxy (server shutdown). */
  synchronized void stopAll() {
    proxies.values().forEach(FaultProxy::stop);
  }

  private FaultProxy newProxy(ProxyConfig config) {
    FaultProxy proxy = new FaultProxy(engine, config.name(), config.listen(), config.upstream());
    if (config.enabled()) {
      proxy.start();
    }
    return proxy;
  }
}
