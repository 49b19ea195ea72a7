package dev.meld.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meld.chaos.cli.MeldChaos;
import org.junit.jupiter.api.Test;

/**
 * The bench bites real processes: a node that reuses its incarnation after a wipe (Riak's kv679)
 * has its new increments swallowed by the counts its peers already hold for that incarnation, and
 * {@code wipe_replace} reports the lost increments. The other deliberate bugs are shown on the
 * simulator ({@code SimBitesTest}).
 */
class BenchBitesIT {

  @Test
  void reusingTheIncarnationAfterAWipeLosesIncrementsAndTheBenchSaysSo() throws Exception {
    RealNodeRuns.assumeNodeJar();
    RealNodeRuns.Run run =
        RealNodeRuns.run(
            "bites-it",
            "--scenario", "wipe_replace",
            "--seed", "1",
            "--time-limit", "15s",
            "--unsafe-misbehave", "REUSE_INCARNATION");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(MeldChaos.INVALID);
    JsonNode result = run.results().get(0);
    assertThat(result.get("checks").get("pn-counter-final").get("valid").asBoolean()).as(result.toString()).isFalse();
    assertThat(result.get("faults")).allSatisfy(f -> assertThat(f.get("verified").asBoolean()).isTrue());
  }
}
