package dev.meld.chaos.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerEnvironmentTest {

  @Test
  void namesEveryVariableNotSetAsTestcontainersNeedsItHere() {
    assertThat(DockerEnvironment.missing(Map.of()))
        .isEqualTo(
            "TESTCONTAINERS_CHECKS_DISABLE=true TESTCONTAINERS_HOST_OVERRIDE=localhost"
                + " TESTCONTAINERS_RYUK_DISABLED=true");
    assertThat(
            DockerEnvironment.missing(
                Map.of(
                    "TESTCONTAINERS_RYUK_DISABLED", "false",
                    "TESTCONTAINERS_HOST_OVERRIDE", "localhost",
                    "TESTCONTAINERS_CHECKS_DISABLE", "TRUE")))
        .isEqualTo("TESTCONTAINERS_RYUK_DISABLED=true");
    assertThat(DockerEnvironment.missing(DockerEnvironment.REQUIRED)).isEmpty();
  }
}
