package dev.meld.chaos.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Reads a node's admin endpoints ({@code /health}, {@code /ready}) with a bounded wait, and asks it
 * to leave ({@code POST /leave}, with the admin token and a JSON content type, as the node
 * requires).
 */
public final class AdminHttp {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;
  private final String token;

  /** For reads only: {@link #leave} sends no token and a node refuses it. */
  public AdminHttp(Duration timeout) {
    this(timeout, null);
  }

  /**
   * @param token the nodes' admin token ({@code --admin-token-file}), sent with {@link #leave}
   */
  public AdminHttp(Duration timeout, String token) {
    this.timeout = timeout;
    this.token = token;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  /** {@code GET /health}, parsed. */
  public NodeHealth health(String node, InetSocketAddress admin) throws NodeUnreachable {
    HttpResponse<String> response = get(node, admin, "/health");
    if (response.statusCode() != 200 && response.statusCode() != 503) {
      throw new NodeUnreachable(
          node, "GET /health: status " + response.statusCode() + " (expected: 200 or 503)", null);
    }
    try {
      return NodeHealth.parse(JSON.readTree(response.body()));
    } catch (IOException | IllegalArgumentException e) {
      throw new NodeUnreachable(node, "GET /health: " + e.getMessage(), e);
    }
  }

  /** Whether {@code /health} answers within the timeout. */
  public boolean answers(String node, InetSocketAddress admin) {
    try {
      health(node, admin);
      return true;
    } catch (NodeUnreachable e) {
      return false;
    }
  }

  /**
   * Polls (bounded by {@code timeout}) until {@code /ready} answers 200 and then {@code /health}
   * answers, while {@code alive} holds.
   *
   * @return the node's incarnation once ready; empty if the timeout passed first or, at once, when
   *     {@code alive} says the node is gone (it will never be ready: the caller's own check then
   *     names the exit)
   */
  public OptionalLong awaitReady(
      String node, InetSocketAddress admin, Duration timeout, Await.Condition alive)
      throws InterruptedException {
    long[] incarnation = {-1};
    boolean[] gone = {false};
    boolean ready =
        Await.until(
            timeout,
            () -> {
              // Await.until treats a throw as "not yet", so a dead node ends the wait by holding.
              if (!alive.holds()) {
                gone[0] = true;
                return true;
              }
              if (!ready(node, admin)) {
                return false;
              }
              incarnation[0] = health(node, admin).incarnation();
              return true;
            });
    return ready && !gone[0] ? OptionalLong.of(incarnation[0]) : OptionalLong.empty();
  }

  /** {@code GET /ready}: true on 200, false on any other status. */
  public boolean ready(String node, InetSocketAddress admin) throws NodeUnreachable {
    return get(node, admin, "/ready").statusCode() == 200;
  }

  /**
   * {@code POST /leave}: asks the node to leave the cluster (remove itself from the member set,
   * drain, exit). Returns what the node answered.
   */
  public String leave(String node, InetSocketAddress admin) throws NodeUnreachable {
    URI uri = uri(admin, "/leave");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = send(node, request.build());
    if (response.statusCode() / 100 != 2) {
      throw new NodeUnreachable(
          node,
          "POST "
              + uri
              + ": status "
              + response.statusCode()
              + " "
              + response.body()
              + " (expected: 2xx)",
          null);
    }
    return "POST /leave: " + response.statusCode();
  }

  /** Whether the node knows {@code path} at all: any answer but 404 (a 405 to GET counts). */
  public boolean hasEndpoint(String node, InetSocketAddress admin, String path) throws NodeUnreachable {
    return get(node, admin, path).statusCode() != 404;
  }

  private static URI uri(InetSocketAddress admin, String path) {
    return URI.create("http://" + admin.getHostString() + ":" + admin.getPort() + path);
  }

  private HttpResponse<String> get(String node, InetSocketAddress admin, String path)
      throws NodeUnreachable {
    return send(node, HttpRequest.newBuilder(uri(admin, path)).timeout(timeout).GET().build());
  }

  private HttpResponse<String> send(String node, HttpRequest request) throws NodeUnreachable {
    URI uri = request.uri();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new NodeUnreachable(node, "GET " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeUnreachable(node, "GET " + uri + ": interrupted", e);
    }
  }
}
