package dev.meld.chaos.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetFaultsTest {

  private static final String SELF = "10.170.4.11";

  private static List<String> lines(String script) {
    return script.lines().toList();
  }

  @Test
  void aCutSenderIsOneDropRuleOnItsMeshAddressForTheConnectionsItOpened() {
    String script = NetFaults.none(SELF).withCutFrom(Set.of("10.170.4.13", "10.170.4.12")).script();
    assertThat(lines(script))
        .filteredOn(l -> l.contains("-A MELD-CUT"))
        .containsExactly(
            "iptables -w -A MELD-CUT -s 10.170.4.12 -m conntrack --ctdir ORIGINAL -j DROP",
            "iptables -w -A MELD-CUT -s 10.170.4.13 -m conntrack --ctdir ORIGINAL -j DROP");
  }

  @Test
  void theScriptReplacesWhatWasThereSoApplyingItTwiceChangesNothing() {
    List<String> script = lines(NetFaults.none(SELF).withCutFrom(Set.of("10.170.4.12")).script());
    // Chains created if missing, hooked into INPUT once, flushed before the new rules.
    assertThat(script)
        .containsSubsequence(
            "iptables -w -N MELD-CUT 2>/dev/null || true",
            "iptables -w -C INPUT -j MELD-CUT 2>/dev/null || iptables -w -A INPUT -j MELD-CUT",
            "iptables -w -F MELD-CUT",
            "iptables -w -F MELD-LOSS",
            "iptables -w -A MELD-CUT -s 10.170.4.12 -m conntrack --ctdir ORIGINAL -j DROP",
            "tc qdisc del dev \"$dev\" root 2>/dev/null || true",
            "iptables -w -S MELD-CUT");
    assertThat(script.get(0)).isEqualTo("set -e");
  }

  @Test
  void noFaultsLeavesNoDropRuleAndNoQueueingDiscipline() {
    String script = NetFaults.none(SELF).script();
    assertThat(script).doesNotContain("-j DROP").doesNotContain("tc qdisc add").doesNotContain("tc filter add");
  }

  @Test
  void aLossyLinkDropsItsSendersPacketsAtRandom() {
    String script = NetFaults.none(SELF).withLossyFrom("10.170.4.12", 0.5).script();
    assertThat(lines(script))
        .contains(
            "iptables -w -A MELD-LOSS -s 10.170.4.12 -m statistic --mode random --probability 0.5000 -j DROP");
    assertThat(script).doesNotContain("-A MELD-CUT");
  }

  @Test
  void aSlowLinkIsFilteredToItsDestinationWithNetemOrElseATokenBucket() {
    String script =
        NetFaults.none(SELF)
            .withSlowTo("10.170.4.12", new NetFaults.Slow(2000, 200))
            .withSlowTo("10.170.4.13", new NetFaults.Slow(500, 0))
            .script();
    assertThat(lines(script))
        .containsSubsequence(
            "tc qdisc add dev \"$dev\" root handle 1: htb",
            "tc class add dev \"$dev\" parent 1: classid 1:4 htb rate 1gbit quantum 1514",
            "tc qdisc add dev \"$dev\" parent 1:4 handle 40: netem delay 2000ms 200ms 2>/dev/null"
                + " || tc qdisc add dev \"$dev\" parent 1:4 handle 40: tbf rate 8192bit burst 1600 latency 60s",
            "tc filter add dev \"$dev\" parent 1: protocol ip prio 1 u32 match ip dst 10.170.4.12/32 flowid 1:4",
            "tc class add dev \"$dev\" parent 1: classid 1:5 htb rate 1gbit quantum 1514",
            "tc filter add dev \"$dev\" parent 1: protocol ip prio 1 u32 match ip dst 10.170.4.13/32 flowid 1:5");
    // The interface is found by the mesh address, so the edge interface is never shaped.
    assertThat(script).contains("ip -o -4 addr show to " + SELF + " ");
  }

  @Test
  void aTokenBucketPassesTwoKibibytesPerLatencyAndNeverLessThanEightKilobits() {
    assertThat(new NetFaults.Slow(2000, 0).bitsPerSecond()).isEqualTo(8192);
    assertThat(new NetFaults.Slow(100, 0).bitsPerSecond()).isEqualTo(163_840);
    assertThat(new NetFaults.Slow(60_000, 0).bitsPerSecond()).isEqualTo(8000);
  }

  @Test
  void cutSendersAreReadBackFromIptablesListings() {
    // As iptables 1.8.9 (nft) in the debug image prints them.
    String listing =
        "-N MELD-CUT\n"
            + "-A MELD-CUT -s 10.160.3.12/32 -m conntrack --ctdir ORIGINAL -j DROP\n"
            + "-A MELD-CUT -s 10.160.3.13/32 -m conntrack --ctdir ORIGINAL -j DROP\n"
            + "-A MELD-LOSS -s 10.160.3.14/32 -m statistic --mode random --probability 0.50000000000 -j DROP\n";
    assertThat(NetFaults.cutSendersIn(listing)).containsExactly("10.160.3.12", "10.160.3.13");
    assertThat(NetFaults.cutSendersIn("-N MELD-CUT\n")).isEmpty();
  }

  @Test
  void slowedDestinationsAreReadBackFromTcFilterListings() {
    // As iproute2 6.1 in the debug image prints a u32 destination filter.
    String listing =
        "qdisc htb 1: root refcnt 2 r2q 10 default 0 direct_packets_stat 0 direct_qlen 1000\n"
            + "qdisc tbf 40: parent 1:4 rate 8192bit burst 1599b lat 60s\n"
            + "filter parent 1: protocol ip pref 1 u32 chain 0\n"
            + "filter parent 1: protocol ip pref 1 u32 chain 0 fh 800: ht divisor 1\n"
            + "filter parent 1: protocol ip pref 1 u32 chain 0 fh 800::800 order 2048 key ht 800 bkt 0"
            + " *flowid 1:4 not_in_hw\n"
            + "  match 0aaa040c/ffffffff at 16\n"
            + "filter parent 1: protocol ip pref 1 u32 chain 0 fh 800::801 order 2049 key ht 800 bkt 0"
            + " *flowid 1:5 not_in_hw\n"
            + "  match 7f000002/ffffffff at 16\n";
    assertThat(NetFaults.slowedIn(listing)).containsExactly("10.170.4.12", "127.0.0.2");
    assertThat(NetFaults.slowedIn("qdisc noqueue 0: root refcnt 2\n")).isEmpty();
  }

  @Test
  void badInputIsRefused() {
    assertThatThrownBy(() -> NetFaults.none("n1"))
        .hasMessage("mesh address: \"n1\" (expected: an IPv4 address)");
    assertThatThrownBy(() -> NetFaults.none(SELF).withCutFrom(Set.of("10.0.0.300")))
        .hasMessage("cut sender: \"10.0.0.300\" (expected: an IPv4 address)");
    assertThatThrownBy(() -> NetFaults.none(SELF).withLossyFrom("10.0.0.3", 0))
        .hasMessage("loss probability: 0.0 (expected: in (0, 1])");
    assertThatThrownBy(() -> new NetFaults.Slow(0, 0)).isInstanceOf(IllegalArgumentException.class);
    // A shell metacharacter can never reach the script through an address.
    assertThatThrownBy(() -> new NetFaults(SELF, Set.of(), Map.of("1.2.3.4;reboot", 0.5), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
