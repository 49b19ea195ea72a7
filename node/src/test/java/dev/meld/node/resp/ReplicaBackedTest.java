package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.hlc.PhysicalClock;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.testing.NoLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client port in front of a real {@link dev.meld.node.Replica} (single node, in-memory store):
 * the replies Redis would give for the same commands, byte for byte, in RESP2 and RESP3.
 */
@ExtendWith(NoLeaks.class)
class ReplicaBackedTest {
  private static final String WRONGTYPE =
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

  private final ReplicaGateway replica = ReplicaGateway.solo();

  @AfterEach
  void closeReplica() {
    replica.close();
  }

  private RespTestChannel connect() {
    return new RespTestChannel(RespConfig.builder().build(), replica);
  }

  @Test
  void registersCountersAndSetsAnswerAsRedisDoes() {
    try (RespTestChannel c = connect()) {
      assertThat(c.call("GET", "r")).isEqualTo("$-1\r\n");
      assertThat(c.call("SET", "r", "hello")).isEqualTo("+OK\r\n");
      assertThat(c.call("GET", "r")).isEqualTo("$5\r\nhello\r\n");
      assertThat(c.call("INCR", "n")).isEqualTo(":1\r\n");
      assertThat(c.call("INCRBY", "n", "41")).isEqualTo(":42\r\n");
      assertThat(c.call("DECRBY", "n", "2")).isEqualTo(":40\r\n");
      assertThat(c.call("DECR", "n")).isEqualTo(":39\r\n");
      assertThat(c.call("GET", "n")).isEqualTo("$2\r\n39\r\n");
      assertThat(c.call("SADD", "s", "b", "a", "b")).isEqualTo(":2\r\n");
      assertThat(c.call("SISMEMBER", "s", "a")).isEqualTo(":1\r\n");
      assertThat(c.call("SREM", "s", "a", "z")).isEqualTo(":1\r\n");
      assertThat(c.call("SCARD", "s")).isEqualTo(":1\r\n");
      assertThat(c.call("SMEMBERS", "s")).isEqualTo("*1\r\n$1\r\nb\r\n");
      assertThat(c.call("TYPE", "r")).isEqualTo("+string\r\n");
      assertThat(c.call("TYPE", "n")).isEqualTo("+string\r\n");
      assertThat(c.call("TYPE", "s")).isEqualTo("+set\r\n");
      assertThat(c.call("TYPE", "none")).isEqualTo("+none\r\n");
      assertThat(c.call("EXISTS", "r", "n", "s", "none", "r")).isEqualTo(":4\r\n");
      assertThat(c.call("DBSIZE")).isEqualTo(":3\r\n");
      assertThat(c.call("DEL", "r", "s", "none")).isEqualTo(":2\r\n");
      assertThat(c.call("GET", "r")).isEqualTo("$-1\r\n");
      assertThat(c.call("SMEMBERS", "s")).isEqualTo("*0\r\n");
      assertThat(c.call("DBSIZE")).isEqualTo(":1\r\n");
    }
  }

  @Test
  void typesAreKeptAndMixedAccessIsWrongType() {
    try (RespTestChannel c = connect()) {
      c.call("SET", "r", "12");
      c.call("INCR", "n");
      c.call("SADD", "s", "x");
      assertThat(c.call("INCR", "r")).isEqualTo(WRONGTYPE);
      assertThat(c.call("SADD", "r", "x")).isEqualTo(WRONGTYPE);
      assertThat(c.call("SET", "n", "v")).isEqualTo(WRONGTYPE);
      assertThat(c.call("SMEMBERS", "n")).isEqualTo(WRONGTYPE);
      assertThat(c.call("GET", "s")).isEqualTo(WRONGTYPE);
      assertThat(c.call("INCR", "s")).isEqualTo(WRONGTYPE);
      assertThat(c.call("GET", "r")).isEqualTo("$2\r\n12\r\n");
    }
  }

  @Test
  void counterOverflowIsRefusedAndChangesNothing() {
    try (RespTestChannel c = connect()) {
      assertThat(c.call("INCRBY", "n", "9223372036854775807"))
          .isEqualTo(":9223372036854775807\r\n");
      assertThat(c.call("INCR", "n")).isEqualTo("-ERR increment or decrement would overflow\r\n");
      assertThat(c.call("DECRBY", "m", "9223372036854775807"))
          .isEqualTo(":-9223372036854775807\r\n");
      assertThat(c.call("DECRBY", "m", "2"))
          .isEqualTo("-ERR increment or decrement would overflow\r\n");
      assertThat(c.call("GET", "n")).isEqualTo("$19\r\n9223372036854775807\r\n");
    }
  }

  @Test
  void resp3RepliesCarryTheirTypes() {
    try (RespTestChannel c = connect()) {
      assertThat(c.call("HELLO", "3")).startsWith("%7\r\n");
      assertThat(c.call("GET", "missing")).isEqualTo("_\r\n");
      c.call("SADD", "s", "y", "x");
      assertThat(c.call("SMEMBERS", "s")).isEqualTo("~2\r\n$1\r\nx\r\n$1\r\ny\r\n");
      assertThat(c.call("INCR", "n")).isEqualTo(":1\r\n");
      assertThat(c.call("INFO", "keyspace"))
          .isEqualTo("=48\r\ntxt:# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n\r\n");
    }
  }

  @Test
  void waitWithoutPeersAnswersZero() {
    try (RespTestChannel c = connect()) {
      c.call("SET", "a", "1");
      assertThat(c.call("WAIT", "1", "0")).isEqualTo(":0\r\n");
    }
  }

  @Test
  void infoReportsTheReplicasState() {
    try (RespTestChannel c = connect()) {
      c.call("SET", "a", "1");
      String info = c.call("INFO");
      assertThat(info)
          .contains("# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_repl_offset:")
          .contains("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n")
          .contains("# Meld\r\nnode_name:solo\r\n")
          .contains("member0:name=solo,");
      assertThat(info).containsPattern("root_digest:[0-9a-f]{32}\r\n");
    }
  }

  @Test
  void tooLargeValuesAreRefusedByTheReplicaAndTheConnectionStays() {
    ReplicaGateway small =
        new ReplicaGateway(
            ReplicaConfig.builder("solo").maxKeyBytes(8).maxRecordBytes(1024).build(),
            PhysicalClock.system());
    try (RespTestChannel c = new RespTestChannel(RespConfig.builder().build(), small)) {
      assertThat(c.call("SET", "k", "x".repeat(2000)))
          .startsWith("-ERR ")
          .contains("(expected: <= 1024)");
      assertThat(c.call("SET", "123456789", "v")).startsWith("-ERR ").contains("(expected: <= 8)");
      assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
      assertThat(c.call("SET", "k", "v")).isEqualTo("+OK\r\n");
    } finally {
      small.close();
    }
  }
}
