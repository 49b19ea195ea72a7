package dev.meld.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;

/**
 * The two images' promises: the same jar byte for byte; the production image runs as a non-root
 * user without the fault tools; the debug image has them.
 */
class MeldImagesTest {

  private static MeldContainer prod;
  private static MeldContainer dbg;

  @BeforeAll
  static void containers() {
    DockerRequired.assumeDocker();
    prod = new MeldContainer(MeldImage.production(DockerRequired.nodeJar()));
    dbg = new MeldContainer(MeldImage.debug(DockerRequired.nodeJar()));
    prod.start();
    dbg.start();
  }

  @AfterAll
  static void stop() {
    for (MeldContainer c : new MeldContainer[] {prod, dbg}) {
      if (c != null) {
        c.stop();
      }
    }
  }

  @Test
  void bothImagesCarryTheSameJarByteForByte() throws Exception {
    ExecResult a = prod.execInContainer("sha256sum", MeldImage.JAR_PATH);
    ExecResult b = dbg.execInContainer("sha256sum", MeldImage.JAR_PATH);

    assertThat(a.getExitCode()).isZero();
    assertThat(a.getStdout()).isNotBlank().isEqualTo(b.getStdout());
  }

  @Test
  void theProductionImageRunsAsAnUnprivilegedUserWithoutFaultTools() throws Exception {
    assertThat(prod.execInContainer("id", "-u").getStdout().strip()).isNotEqualTo("0");
    for (String tool : new String[] {"iptables", "tc", "faketime"}) {
      assertThat(prod.execInContainer("sh", "-c", "command -v " + tool).getExitCode())
          .as("%s in the production image", tool)
          .isNotZero();
    }
  }

  @Test
  void theDebugImageHasTheFaultTools() throws Exception {
    for (String tool : new String[] {"iptables", "tc", "faketime", "pkill"}) {
      assertThat(dbg.execInContainer("sh", "-c", "command -v " + tool).getExitCode())
          .as("%s in the debug image", tool)
          .isZero();
    }
    assertThat(dbg.execInContainer("test", "-f", MeldImage.FAKETIME_LIBRARY).getExitCode()).isZero();
  }
}
