package dev.meld.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meld.node.DrainStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.meld.node.testing.NoLeaks;

@ExtendWith(NoLeaks.class)
class AdminServerTest {

  private final FakeView view = new FakeView();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient http = HttpClient.newHttpClient();
  private AdminServer server;

  static final String TOKEN = "admin-token-for-tests-0123456789";

  @BeforeEach
  void start() {
    server =
        AdminServer.start(
            AdminConfig.of(new InetSocketAddress("127.0.0.1", 0), TOKEN, false),
            view,
            registry,
            new NodeMetrics(registry, view));
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
  }

  /** {@code method path}; a POST as operator tools send it: with the token, as JSON. */
  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.boundAddress().getPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (method.equals("POST")) {
      request.header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsJsonWithTheNodeClockAndMembers() throws Exception {
    long before = System.currentTimeMillis();
    HttpResponse<String> r = send("GET", "/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode json = new ObjectMapper().readTree(r.body());
    assertThat(json.get("status").asText()).isEqualTo("ok");
    assertThat(json.get("node").asText()).isEqualTo("n1");
    assertThat(json.get("incarnation").asLong()).isEqualTo(view.base.incarnation());
    assertThat(json.get("wallClockMillis").asLong()).isBetween(before, System.currentTimeMillis());
    assertThat(json.get("rootDigest").asText()).hasSize(32);
    assertThat(json.get("members").get(0).get("name").asText()).isEqualTo("n1");
    assertThat(json.get("members").get(0).get("state").asText()).isEqualTo("SELF");
    assertThat(json.get("draining").asBoolean()).isFalse();
    assertThat(json.get("addresses").get("mesh").asText()).isEqualTo("127.0.0.1:7379");
    for (String field :
        List.of("version", "uptimeMillis", "hlc", "ready", "keyCount", "log", "antiEntropy")) {
      assertThat(json.has(field)).as(field).isTrue();
    }
  }

  @Test
  void readyIs200WhenServingAnd503WhileDraining() throws Exception {
    assertThat(send("GET", "/ready").statusCode()).isEqualTo(200);
    view.drain = new DrainStatus(DrainStatus.State.RUNNING, 1, 2, -1, List.of("n2"), List.of());
    HttpResponse<String> r = send("GET", "/ready");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("draining");
    view.drain = DrainStatus.NOT_DRAINING;
    view.serving = false;
    assertThat(send("GET", "/ready").statusCode()).isEqualTo(503);
  }

  @Test
  void metricsArePrometheusTextNamedMeld() throws Exception {
    HttpResponse<String> r = send("GET", "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
    assertThat(r.body())
        .contains("meld_node_ready 1.0")
        .contains("meld_store_keys 0.0")
        .contains("meld_store_size_bytes 4096.0")
        .contains("meld_inbound_dropped_total 3.0")
        .contains("meld_antientropy_rounds_total{event=\"started\"}")
        .contains("meld_clock_clamps_total")
        .contains("meld_mesh_refusals_total{reason=\"AUTH\",side=\"closed\"} 2.0")
        .contains("meld_connections{kind=\"peer\"} 0.0");
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() throws Exception {
    assertThat(send("GET", "/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> post = send("POST", "/health");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
    HttpResponse<String> head = send("HEAD", "/health");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void aLargeBodyIsRefusedAndTheServerKeepsServing() throws Exception {
    byte[] body = new byte[AdminServer.MAX_BODY_BYTES * 4];
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.boundAddress().getPort() + "/health"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    int status;
    try {
      status = http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (java.io.IOException closed) {
      status = 413; // the server may close before the client finished sending
    }
    assertThat(status).isEqualTo(413);
    assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void garbageGets400AndAClosedConnection() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.boundAddress().getPort())) {
      OutputStream out = s.getOutputStream();
      out.write("\u0001\u0002 garbage\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(reply).startsWith("HTTP/1.1 400");
    }
    assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void postLeaveStartsTheLeaveAndAnswers202WithTheDrain() throws Exception {
    HttpResponse<String> r = send("POST", "/leave");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode json = new ObjectMapper().readTree(r.body());
    assertThat(json.get("leaving").asBoolean()).isTrue();
    assertThat(json.get("node").asText()).isEqualTo("n1");
    assertThat(json.get("membership").get("state").asText()).isEqualTo("LEAVING");
    assertThat(json.get("drain").get("state").asText()).isEqualTo("RUNNING");
    assertThat(json.get("drain").get("peersMissingAck").get(0).asText()).isEqualTo("n2");
    JsonNode health = new ObjectMapper().readTree(send("GET", "/health").body());
    assertThat(health.get("status").asText()).isEqualTo("leaving");
    assertThat(health.get("membership").get("state").asText()).isEqualTo("LEAVING");
    assertThat(send("GET", "/ready").statusCode()).isEqualTo(503);
  }

  @Test
  void aRepeatedLeaveIs409AndChangesNothing() throws Exception {
    assertThat(send("POST", "/leave").statusCode()).isEqualTo(202);
    DrainStatus first = view.drain;
    HttpResponse<String> again = send("POST", "/leave");
    assertThat(again.statusCode()).isEqualTo(409);
    JsonNode json = new ObjectMapper().readTree(again.body());
    assertThat(json.get("leaving").asBoolean()).isFalse();
    assertThat(json.get("error").asText()).isEqualTo("node n1 is already leaving (expected: one leave)");
    assertThat(view.drain).isSameAs(first);
  }

  @Test
  void aLeaveTheNodeCannotStartIs409WithTheReason() throws Exception {
    view.leaveFailure = new java.util.concurrent.RejectedExecutionException("the node is shutting down");
    HttpResponse<String> r = send("POST", "/leave");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(new ObjectMapper().readTree(r.body()).get("error").asText())
        .isEqualTo("the node cannot leave now: the node is shutting down");
  }

  @Test
  void leaveWithAnotherMethodIs405AndLeavesNothing() throws Exception {
    for (String method : List.of("GET", "PUT", "DELETE", "HEAD")) {
      HttpResponse<String> r = send(method, "/leave");
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.headers().firstValue("allow")).as(method).hasValue("POST");
    }
    assertThat(view.leaves.get()).isZero();
    assertThat(view.drain.draining()).isFalse();
  }

  @Test
  void healthShowsWhereTheNodeStandsInTheMemberSet() throws Exception {
    JsonNode json = new ObjectMapper().readTree(send("GET", "/health").body());
    assertThat(json.get("membership").get("state").asText()).isEqualTo("MEMBER");
    assertThat(json.get("membership").get("members").get(0).asText()).isEqualTo("n1");
    view.membership = dev.meld.node.ReplicaStatus.MembershipState.JOINING;
    json = new ObjectMapper().readTree(send("GET", "/health").body());
    assertThat(json.get("status").asText()).isEqualTo("joining");
    assertThat(json.get("membership").get("state").asText()).isEqualTo("JOINING");
  }
}
