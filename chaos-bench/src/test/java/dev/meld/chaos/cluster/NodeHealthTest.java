package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Reading a node's /health. */
class NodeHealthTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theFieldsTheBenchUsesAreRead() throws Exception {
    NodeHealth health =
        NodeHealth.parse(
            JSON.readTree(
                """
                {"status":"UP","node":"n1","incarnation":77,"ready":true,"draining":false,
                 "wallClockMillis":1795316000000,"hlc":123456789,"keyCount":12,
                 "rootDigest":"00ff","members":[
                   {"name":"n1","state":"SELF","backlog":0},
                   {"name":"n2","state":"live","backlog":3},
                   {"name":"n3","state":"UNREACHABLE","backlog":9}]}
                """));
    assertThat(health.node()).isEqualTo("n1");
    assertThat(health.incarnation()).isEqualTo(77);
    assertThat(health.ready()).isTrue();
    assertThat(health.draining()).isFalse();
    assertThat(health.wallClockMillis()).isEqualTo(1795316000000L);
    assertThat(health.keyCount()).isEqualTo(12);
    assertThat(health.rootDigest()).isEqualTo("00ff");
    assertThat(health.member("n2")).hasValueSatisfying(m -> assertThat(m.live()).isTrue());
    assertThat(health.member("n3")).hasValueSatisfying(m -> assertThat(m.live()).isFalse());
    assertThat(health.member("n4")).isEmpty();
    assertThat(health.totalBacklog()).isEqualTo(12);
  }

  @Test
  void membersAsAnObjectAndADrainAsAnObjectAreReadToo() throws Exception {
    NodeHealth health =
        NodeHealth.parse(
            JSON.readTree(
                """
                {"node":"n2","draining":{"state":"RUNNING"},
                 "members":{"n1":{"state":"LIVE","backlogEntries":4},"n2":"SELF"}}
                """));
    assertThat(health.draining()).isTrue();
    assertThat(health.member("n1").orElseThrow().backlog()).isEqualTo(4);
    assertThat(health.member("n2").orElseThrow().state()).isEqualTo("SELF");
    assertThat(health.wallClockMillis()).isEqualTo(-1);
    assertThat(health.rootDigest()).isEmpty();
  }

  @Test
  void anAnswerWithoutANodeNameIsRefused() throws Exception {
    assertThatThrownBy(() -> NodeHealth.parse(JSON.readTree("[1,2]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("health: [1,2] (expected: a JSON object with a string \"node\")");
  }
}
