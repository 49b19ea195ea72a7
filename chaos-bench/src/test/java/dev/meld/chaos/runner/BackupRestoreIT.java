package dev.meld.chaos.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meld.chaos.cli.MeldChaos;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's backup-and-restore scenario file against real node processes: n2 backed up,
 * partitioned off, healed and restored from its copy; the checkers, every fault's verification and
 * the file's criteria (nothing lost, convergence) must hold. Reports stay in {@code
 * target/backup-restore-it/}.
 */
class BackupRestoreIT {

  @Test
  void aNodeRestoredFromItsCopyLosesNothingAcknowledged() throws Exception {
    RealNodeRuns.assumeNodeJar();
    RealNodeRuns.Run run =
        RealNodeRuns.run("backup-restore-it", "--scenario-file", "examples/backup_restore.yaml", "--seed", "1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(MeldChaos.VALID);
    assertThat(run.out()).contains("backup_restore: criteria all hold");
    List<JsonNode> results = run.results();
    assertThat(results).hasSize(1);
    JsonNode r = results.get(0);
    assertThat(r.get("valid").asBoolean()).as(r.toString()).isTrue();
    assertThat(r.get("faults")).extracting(f -> f.get("kind").asText()).contains("backup", "partition", "restore");
    assertThat(r.get("faults")).allSatisfy(f -> assertThat(f.get("verified").asBoolean()).as(f.toString()).isTrue());
    assertThat(r.get("checks").get("incarnations").get("valid").asBoolean()).isTrue();
    assertThat(run.dir().resolve("backup_restore").resolve("nodes").resolve("n2").resolve("backups").resolve("before-partition"))
        .isDirectory();
  }
}
