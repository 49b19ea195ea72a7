package dev.meld.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Issue 15 on a whole node: at 10,000 idle connections real clients got {@code max number of
 * clients reached} while {@code /ready} said 200; {@code POST /leave} needed no credentials.
 */
class NodeProtectionTest {

  private static final String PASSWORD = "client-password-123";

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private NodeConfig.Builder config() {
    return NodeRuntimeTest.config("n1", dir.resolve("n1"))
        .clientBind(new InetSocketAddress("127.0.0.1", 0));
  }

  private HttpResponse<String> get(NodeRuntime node, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(node, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> leave(NodeRuntime node, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(node, "/leave")).POST(HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(NodeRuntime node, String path) {
    return URI.create("http://127.0.0.1:" + node.info().adminAddress().getPort() + path);
  }

  private void awaitReady(NodeRuntime node, int status) throws Exception {
    for (int i = 0; i < 200 && get(node, "/ready").statusCode() != status; i++) {
      Thread.sleep(50);
    }
    assertThat(get(node, "/ready").statusCode()).isEqualTo(status);
  }

  @Test
  void aFullClientTableMakesReady503UntilAClientLeaves() throws Exception {
    try (NodeRuntime node = NodeRuntime.start(config().maxClients(2).build())) {
      awaitReady(node, 200);
      int port = node.info().clientAddress().getPort();
      try (Jedis a = new Jedis("127.0.0.1", port);
          Jedis b = new Jedis("127.0.0.1", port)) {
        assertThat(a.ping()).isEqualTo("PONG");
        assertThat(b.ping()).isEqualTo("PONG");
        HttpResponse<String> ready = get(node, "/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("not ready: client table full\n");
        assertThat(get(node, "/health").body())
            .contains("\"status\" : \"client table full\"")
            .contains("\"connected\" : 2");
        try (Jedis c = new Jedis("127.0.0.1", port)) {
          assertThatThrownBy(c::ping)
              .isInstanceOf(JedisException.class)
              .hasMessageContaining("max number of clients reached");
        }
        a.close();
        awaitReady(node, 200);
        assertThat(get(node, "/health").body()).contains("\"status\" : \"ok\"");
      }
    }
  }

  @Test
  void leaveNeedsTheTokenWhichIsThePasswordWhenNoTokenFileIsGiven() throws Exception {
    try (NodeRuntime node = NodeRuntime.start(config().password(PASSWORD).build())) {
      assertThat(leave(node, "Content-Type", "application/json").statusCode()).isEqualTo(401);
      assertThat(
              leave(
                      node,
                      "Origin",
                      "http://evil.example",
                      "Content-Type",
                      "text/plain",
                      "Authorization",
                      "Bearer " + PASSWORD)
                  .statusCode())
          .isEqualTo(403);
      assertThat(node.left()).isNotDone();
      assertThat(get(node, "/health").body()).contains("\"state\" : \"MEMBER\"");
      HttpResponse<String> ok =
          leave(node, "Content-Type", "application/json", "Authorization", "Bearer " + PASSWORD);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
      node.left().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  @Test
  void anAdminTokenReplacesThePasswordAndWithNeitherLeaveIsDisabled() throws Exception {
    String token = "admin-token-0123456789abcdef";
    try (NodeRuntime node =
        NodeRuntime.start(config().password(PASSWORD).adminToken(token).build())) {
      assertThat(
              leave(node, "Content-Type", "application/json", "Authorization", "Bearer " + PASSWORD)
                  .statusCode())
          .as("the password is no longer the admin token")
          .isEqualTo(401);
    }
    try (NodeRuntime node = NodeRuntime.start(config().build())) {
      HttpResponse<String> r = leave(node, "Content-Type", "application/json");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("mutating admin requests are disabled");
      assertThat(node.left()).isNotDone();
    }
  }

  @Test
  void adminInsecureIsOnlyForLoopback() {
    assertThatThrownBy(
            () ->
                config()
                    .adminBind(new InetSocketAddress("0.0.0.0", 9379))
                    .adminInsecure(true)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--admin-insecure: the admin port 0.0.0.0:9379 is not loopback");
    assertThat(
            config()
                .adminBind(new InetSocketAddress("0.0.0.0", 9379))
                .adminInsecure(true)
                .password(PASSWORD)
                .build()
                .effectiveAdminToken())
        .as("with a token, insecure changes nothing")
        .isEqualTo(PASSWORD);
  }
}
