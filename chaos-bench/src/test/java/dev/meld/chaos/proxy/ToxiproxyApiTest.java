package dev.meld.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API's contract: what the Toxiproxy client sees, status codes and error bodies as
 * Toxiproxy sends them, and that a rejected request changes nothing.
 */
class ToxiproxyApiTest {

  private final ProxyHarness harness;
  private final RawApi raw;

  ToxiproxyApiTest() throws IOException {
    harness = new ProxyHarness();
    raw = new RawApi(harness.server.apiUrl());
  }

  @AfterEach
  void close() throws IOException {
    harness.close();
  }

  private String proxiesNow() throws Exception {
    return raw.get("/proxies").body().toString();
  }

  @Test
  void versionNamesThisProxy() throws Exception {
    assertThat(harness.client.version()).contains(ToxiproxyApi.VERSION);
  }

  @Test
  void aCreatedProxyListensOnARealPortAndIsListed() throws Exception {
    Proxy proxy = harness.echoProxy("a");
    assertThat(proxy.getListen()).matches("127\\.0\\.0\\.1:[1-9][0-9]*");
    assertThat(proxy.isEnabled()).isTrue();
    assertThat(harness.client.getProxies()).extracting(Proxy::getName).containsExactly("a");
    RawApi.Reply listed = raw.get("/proxies");
    assertThat(listed.body().get("a").get("upstream").asText()).isEqualTo(harness.echo.hostPort());
    assertThat(listed.body().get("a").get("toxics").isArray()).isTrue();
  }

  @Test
  void createRespondsCreatedAndADuplicateNameConflicts() throws Exception {
    String body = "{'name':'a','upstream':'" + harness.echo.hostPort() + "'}";
    assertThat(raw.post("/proxies", body).status()).isEqualTo(201);
    RawApi.Reply duplicate = raw.post("/proxies", body);
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.error()).isEqualTo("proxy already exists");
    assertThat(duplicate.body().get("status").asInt()).isEqualTo(409);
    assertThatThrownBy(() -> harness.echoProxy("a")).hasMessageContaining("[409]");
  }

  @Test
  void unknownProxiesAndToxicsAreNotFound() throws Exception {
    assertThatThrownBy(() -> harness.client.getProxy("nope"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("[404] proxy not found");
    RawApi.Reply reply = raw.get("/proxies/nope/toxics");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.error()).isEqualTo("proxy not found");
    Proxy proxy = harness.echoProxy("a");
    assertThatThrownBy(() -> proxy.toxics().get("nope"))
        .hasMessageContaining("[404] toxic not found");
    assertThat(raw.send("DELETE", "/proxies/a/toxics/nope", null, "t").status()).isEqualTo(404);
  }

  @Test
  void malformedJsonIsABadRequestAndChangesNothing() throws Exception {
    harness.echoProxy("a");
    String before = proxiesNow();
    RawApi.Reply reply = raw.post("/proxies", "{'name': 'b', 'upstream': ");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.error()).startsWith("bad request body");
    assertThat(raw.post("/proxies/a", "{'enabled': fals}").status()).isEqualTo(400);
    assertThat(raw.post("/proxies/a/toxics", "[1, 2").status()).isEqualTo(400);
    assertThat(raw.post("/populate", "{{").status()).isEqualTo(400);
    assertThat(proxiesNow()).isEqualTo(before);
  }

  @Test
  void missingOrMistypedFieldsAreBadRequestsThatChangeNothing() throws Exception {
    harness.echoProxy("a");
    String before = proxiesNow();
    assertThat(raw.post("/proxies", "{'upstream':'127.0.0.1:1'}").error())
        .isEqualTo("missing required field: name");
    assertThat(raw.post("/proxies", "{'name':'b'}").error())
        .isEqualTo("missing required field: upstream");
    assertThat(
            raw.post("/proxies", "{'name':'b','upstream':'127.0.0.1:1','enabled':'yes'}").error())
        .isEqualTo("bad request body: enabled: \"yes\" (expected: true or false)");
    assertThat(raw.post("/proxies", "{'name':'b','upstream':'nowhere'}").error())
        .isEqualTo("bad request body: upstream: \"nowhere\" (expected: host:port)");
    assertThat(raw.post("/proxies/a", "{'listen':'127.0.0.1:70000'}").status()).isEqualTo(400);
    assertThat(proxiesNow()).isEqualTo(before);
  }

  @Test
  void badToxicsAreRejectedWithToxiproxysMessagesAndChangeNothing() throws Exception {
    harness.echoProxy("a");
    String before = proxiesNow();
    assertThat(raw.post("/proxies/a/toxics", "{'type':'earthquake'}").error())
        .isEqualTo("invalid toxic type");
    assertThat(raw.post("/proxies/a/toxics", "{'type':'latency','stream':'sideways'}").error())
        .isEqualTo("stream was invalid, can be either upstream or downstream");
    assertThat(
            raw.post("/proxies/a/toxics", "{'type':'latency','attributes':{'latency':'slow'}}")
                .error())
        .isEqualTo("bad request body: attributes.latency: \"slow\" (expected: an integer)");
    assertThat(
            raw.post("/proxies/a/toxics", "{'type':'latency','attributes':{'latency':-5}}").error())
        .isEqualTo("bad request body: latency.latency: -5 (expected: 0..2147483647)");
    assertThat(
            raw.post("/proxies/a/toxics", "{'type':'latency','attributes':{'latncy':5}}").error())
        .startsWith("bad request body: attributes.latncy: unknown for latency");
    assertThat(raw.post("/proxies/a/toxics", "{'type':'latency','toxicity':1.5}").error())
        .isEqualTo("bad request body: toxicity: 1.5 (expected: a number in 0..1)");
    assertThat(
            raw.post(
                    "/proxies/a/toxics",
                    "{'type':'slicer','attributes':{'average_size':10,'size_variation':10}}")
                .status())
        .isEqualTo(400);
    assertThat(proxiesNow()).isEqualTo(before);
  }

  @Test
  void aToxicGetsToxiproxysDefaultsAndADuplicateNameConflicts() throws Exception {
    harness.echoProxy("a");
    RawApi.Reply created = raw.post("/proxies/a/toxics", "{'type':'latency'}");
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.body().get("name").asText()).isEqualTo("latency_downstream");
    assertThat(created.body().get("stream").asText()).isEqualTo("downstream");
    assertThat(created.body().get("toxicity").asDouble()).isEqualTo(1.0);
    assertThat(created.body().get("attributes").get("jitter").asLong()).isZero();
    RawApi.Reply duplicate =
        raw.post("/proxies/a/toxics", "{'type':'timeout'," + "'name':'latency_downstream'}");
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.error()).isEqualTo("toxic already exists");
  }

  @Test
  void aToxicUpdateChangesOnlyWhatItNames() throws Exception {
    Proxy proxy = harness.echoProxy("a");
    Latency latency = proxy.toxics().latency("slow", ToxicDirection.UPSTREAM, 100);
    latency.setJitter(10);
    latency.setToxicity(0.5f);
    Latency reread = proxy.toxics().get("slow", Latency.class);
    assertThat(reread.getLatency()).isEqualTo(100);
    assertThat(reread.getJitter()).isEqualTo(10);
    assertThat(reread.getToxicity()).isEqualTo(0.5f);
    assertThat(reread.getStream()).isEqualTo(ToxicDirection.UPSTREAM);
    assertThat(raw.post("/proxies/a/toxics/slow", "{'attributes':{'jitter':-1}}").status())
        .isEqualTo(400);
    assertThat(proxy.toxics().get("slow", Latency.class).getJitter()).isEqualTo(10);
  }

  @Test
  void resetEnablesEveryProxyAndRemovesEveryToxic() throws Exception {
    Proxy a = harness.echoProxy("a");
    Proxy b = harness.echoProxy("b");
    a.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 1000);
    b.toxics().timeout("hole", ToxicDirection.UPSTREAM, 0);
    b.disable();
    harness.client.reset();
    for (Proxy proxy : harness.client.getProxies()) {
      assertThat(proxy.isEnabled()).as(proxy.getName()).isTrue();
      assertThat(proxy.toxics().getAll()).as(proxy.getName()).isEmpty();
    }
    try (Client client = Client.to(b.getListen())) {
      client.send(new byte[] {1});
      assertThat(client.read(1, java.time.Duration.ofSeconds(5))).containsExactly(1);
    }
  }

  @Test
  void populateCreatesAllOrNothingAndKeepsUnchangedProxies() throws Exception {
    String echo = harness.echo.hostPort();
    RawApi.Reply bad =
        raw.post("/populate", "[{'name':'x','upstream':'" + echo + "'},{'name':'y'}]");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.error()).isEqualTo("missing required field: upstream at proxy 2");
    assertThat(harness.client.getProxies()).isEmpty();

    RawApi.Reply made =
        raw.post(
            "/populate",
            "[{'name':'x','upstream':'"
                + echo
                + "'},{'name':'y','upstream':'"
                + echo
                + "','enabled':false}]");
    assertThat(made.status()).isEqualTo(201);
    assertThat(made.body().get("proxies")).hasSize(2);
    Proxy x = harness.client.getProxy("x");
    assertThat(harness.client.getProxy("y").isEnabled()).isFalse();
    x.toxics().latency("kept", ToxicDirection.DOWNSTREAM, 1);

    raw.post(
        "/populate", "[{'name':'x','listen':'" + x.getListen() + "','upstream':'" + echo + "'}]");
    assertThat(harness.client.getProxy("x").toxics().getAll()).hasSize(1);
  }

  @Test
  void deleteRemovesTheProxyAndItsListener() throws Exception {
    Proxy proxy = harness.echoProxy("a");
    String listen = proxy.getListen();
    proxy.delete();
    assertThat(harness.client.getProxies()).isEmpty();
    assertThatThrownBy(() -> Client.to(listen)).isInstanceOf(java.net.ConnectException.class);
  }

  @Test
  void aListenAddressInUseFailsTheCreateAndAddsNothing() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      RawApi.Reply reply =
          raw.post(
              "/proxies",
              "{'name':'a','listen':'127.0.0.1:"
                  + taken.getLocalPort()
                  + "','upstream':'"
                  + harness.echo.hostPort()
                  + "'}");
      assertThat(reply.status()).isEqualTo(500);
      assertThat(reply.error()).startsWith("listen tcp 127.0.0.1:" + taken.getLocalPort());
    }
    assertThat(harness.client.getProxies()).isEmpty();
  }

  @Test
  void unknownRoutesMethodsAndBrowsersAreTurnedAway() throws Exception {
    assertThat(raw.get("/nothing").status()).isEqualTo(404);
    assertThat(raw.send("PUT", "/proxies", "{}", "t").status()).isEqualTo(405);
    RawApi.Reply browser = raw.send("GET", "/proxies", null, "Mozilla/5.0");
    assertThat(browser.status()).isEqualTo(403);
    assertThat(browser.error()).isEqualTo("User agent not allowed");
  }
}
