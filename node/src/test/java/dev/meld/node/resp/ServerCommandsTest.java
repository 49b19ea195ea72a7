package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** COMMAND and its subcommands, INFO, DBSIZE and WAIT. */
@ExtendWith(NoLeaks.class)
class ServerCommandsTest {

  @Test
  void commandCountAndInfoDescribeTheTable() {
    try (RespTestChannel c = new RespTestChannel()) {
      int count = c.server.commands.all().size();
      assertThat(c.call("COMMAND", "COUNT")).isEqualTo(":" + count + "\r\n");
      assertThat(c.call("COMMAND")).startsWith("*" + count + "\r\n*10\r\n");
      assertThat(c.call("COMMAND", "INFO", "get"))
          .isEqualTo(
              "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
                  + "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*0\r\n*0\r\n");
      assertThat(c.call("COMMAND", "INFO", "nope", "client|id"))
          .startsWith("*2\r\n$-1\r\n*10\r\n$9\r\nclient|id\r\n:2\r\n");
      c.call("HELLO", "3");
      assertThat(c.call("COMMAND", "INFO", "get"))
          .isEqualTo(
              "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
                  + "~3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*0\r\n*0\r\n");
      assertThat(c.call("COMMAND", "INFO", "nope")).isEqualTo("*1\r\n_\r\n");
    }
  }

  @Test
  void commandDocsDescribeArguments() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("COMMAND", "DOCS", "get"))
          .isEqualTo(
              "*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n$57\r\n"
                  + "Get the value of a key (a register, or a counter's value)\r\n"
                  + "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n"
                  + "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n"
                  + "*1\r\n*4\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n");
      c.call("HELLO", "3");
      assertThat(c.call("COMMAND", "DOCS", "ping"))
          .isEqualTo(
              "%1\r\n$4\r\nping\r\n%5\r\n$7\r\nsummary\r\n$15\r\nPing the server\r\n"
                  + "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$10\r\nconnection\r\n"
                  + "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n%3\r\n"
                  + "$4\r\nname\r\n$7\r\nmessage\r\n$4\r\ntype\r\n$6\r\nstring\r\n"
                  + "$5\r\nflags\r\n~1\r\n+optional\r\n");
      String all = c.call("COMMAND", "DOCS");
      assertThat(all).startsWith("%" + c.server.commands.all().size() + "\r\n");
      assertThat(all).contains("$11\r\nsubcommands\r\n%6\r\n$9\r\nclient|id\r\n");
      assertThat(c.call("COMMAND", "DOCS", "nope")).isEqualTo("%0\r\n");
    }
  }

  @Test
  void commandListNamesSubcommandsToo() {
    try (RespTestChannel c = new RespTestChannel()) {
      String list = c.call("COMMAND", "LIST");
      assertThat(list).contains("$6\r\nclient\r\n$9\r\nclient|id\r\n").contains("$4\r\nwait\r\n");
      assertThat(c.call("COMMAND", "LIST", "FILTERBY", "module", "x"))
          .isEqualTo("-ERR COMMAND LIST filters are not supported\r\n");
      assertThat(c.call("COMMAND", "COUNT", "x"))
          .isEqualTo("-ERR wrong number of arguments for 'command|count' command\r\n");
      assertThat(c.call("COMMAND", "GETKEYS", "get", "a"))
          .isEqualTo("-ERR unknown subcommand 'GETKEYS'. Try COMMAND HELP.\r\n");
    }
  }

  @Test
  void infoHasRedisSectionsAndMeldFacts() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.call("SET", "a", "1");
      c.call("SADD", "b", "x");
      String info = c.call("INFO");
      assertThat(info).startsWith("$");
      assertThat(info)
          .contains("# Server\r\nredis_version:7.2.0\r\nmeld_version:0.1.0-test\r\n")
          .contains("tcp_port:6379\r\n")
          .contains("uptime_in_seconds:9")
          .contains("\r\n\r\n# Clients\r\nconnected_clients:1\r\nmaxclients:10000\r\n")
          .contains(
              "# Replication\r\nrole:master\r\nconnected_slaves:1\r\nmaster_repl_offset:2\r\n")
          .contains(
              "peer0:name=n2,state=live,incarnation=77,acked_seq=2,backlog_entries=0,"
                  + "backlog_bytes=0,lag_ms=0,last_contact_ms=1000,synced=1\r\n")
          .contains(
              "peer1:name=n3,state=unreachable,incarnation=-1,acked_seq=-1,backlog_entries=2,"
                  + "backlog_bytes=20,lag_ms=1500,last_contact_ms=-1,synced=0\r\n")
          .contains("# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n")
          .contains("# Meld\r\nnode_name:n1\r\ncluster_name:meld\r\nincarnation:42\r\nready:1\r\n")
          .contains("root_digest:0123456789abcdef0123456789abcdef\r\n")
          .contains("clock_clamps:3\r\n")
          .contains("ae_completed:3\r\n")
          .contains("member2:name=n3,address=127.0.0.1:7003,state=unreachable\r\n")
          .contains("mesh_address:127.0.0.1:7001\r\nadmin_address:\r\n")
          .contains("errors:bad-frame=2\r\n");
      int length = Integer.parseInt(info.substring(1, info.indexOf('\r')));
      assertThat(info.substring(info.indexOf('\n') + 1)).hasSize(length + 2);
    }
  }

  @Test
  void infoSectionsCanBeChosen() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("INFO", "keyspace")).isEqualTo("$12\r\n# Keyspace\r\n\r\n");
      c.call("SET", "a", "1");
      assertThat(c.call("INFO", "KEYSPACE"))
          .isEqualTo("$44\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n\r\n");
      String two = c.call("INFO", "clients", "server", "nonsense");
      assertThat(two).contains("# Server").contains("# Clients").doesNotContain("# Meld");
      assertThat(two.indexOf("# Server")).isLessThan(two.indexOf("# Clients"));
      assertThat(c.call("INFO", "nonsense")).isEqualTo("$0\r\n\r\n");
      assertThat(c.call("INFO", "everything")).contains("# Meld");
      c.call("HELLO", "3");
      assertThat(c.call("INFO", "keyspace"))
          .isEqualTo("=48\r\ntxt:# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n\r\n");
    }
  }

  @Test
  void dbsizeCountsExistingKeys() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
      c.call("SET", "a", "1");
      c.call("INCR", "b");
      assertThat(c.call("DBSIZE")).isEqualTo(":2\r\n");
      assertThat(c.call("DBSIZE", "x"))
          .isEqualTo("-ERR wrong number of arguments for 'dbsize' command\r\n");
    }
  }

  @Test
  void waitAsksForThisConnectionsHighestWriteSequence() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.gateway.acknowledgingPeers(2);
      assertThat(c.call("WAIT", "1", "0")).isEqualTo(":2\r\n");
      c.call("SET", "a", "1");
      c.call("INCR", "n");
      c.call("GET", "a");
      assertThat(c.call("WAIT", "3", "250")).isEqualTo(":2\r\n");
      assertThat(c.gateway.waits())
          .containsExactly(new FakeGateway.WaitCall(0, 1, 0), new FakeGateway.WaitCall(2, 3, 250));
    }
  }

  @Test
  void waitChecksItsArguments() {
    try (RespTestChannel c = new RespTestChannel()) {
      assertThat(c.call("WAIT", "x", "0"))
          .isEqualTo("-ERR value is not an integer or out of range\r\n");
      assertThat(c.call("WAIT", "0", "-1")).isEqualTo("-ERR timeout is negative\r\n");
      assertThat(c.call("WAIT", "0", "x"))
          .isEqualTo("-ERR timeout is not an integer or out of range\r\n");
      assertThat(c.call("WAIT", "0"))
          .isEqualTo("-ERR wrong number of arguments for 'wait' command\r\n");
      assertThat(c.gateway.waits()).isEmpty();
    }
  }

  @Test
  void waitWaitsForEarlierWritesOfItsConnection() {
    try (RespTestChannel c = new RespTestChannel()) {
      c.gateway.hold();
      c.send(
          RespTestChannel.command("SET", "a", "1")
              + RespTestChannel.command("SET", "b", "2")
              + RespTestChannel.command("WAIT", "1", "10"));
      assertThat(c.read()).isEmpty();
      assertThat(c.gateway.waits()).as("not before the writes are answered").isEmpty();
      c.gateway.complete(1);
      assertThat(c.read()).isEmpty();
      assertThat(c.gateway.waits()).isEmpty();
      c.gateway.complete(0);
      assertThat(c.read()).isEqualTo("+OK\r\n+OK\r\n:0\r\n");
      assertThat(c.gateway.waits()).containsExactly(new FakeGateway.WaitCall(2, 1, 10));
    }
  }
}
