package dev.meld.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What needs no engine: resolving the base and naming an image after its jar. */
class MeldImageTest {

  @Test
  void theBaseArgumentIsResolvedSoTheBuildNamesTheLocalBase() {
    String dockerfile = "# comment\nARG BASE=meld-jre:bookworm\nFROM ${BASE}\nRUN true\n";

    String resolved = MeldImage.withBase(dockerfile, "other:tag");

    assertThat(resolved).contains("FROM other:tag\n").doesNotContain("ARG BASE").doesNotContain("${BASE}");
  }

  @Test
  void theShippedDockerfilesStartFromTheirBase() throws Exception {
    for (String name : new String[] {"Dockerfile", "Dockerfile.debug"}) {
      String text = new String(MeldImage.class.getResourceAsStream(name).readAllBytes());
      assertThat(MeldImage.withBase(text, "x:y")).contains("FROM x:y\n").contains(MeldImage.JAR_PATH);
    }
  }

  @Test
  void aDockerfileWithoutTheBaseArgumentIsRefused() {
    assertThatThrownBy(() -> MeldImage.withBase("FROM debian\n", "x:y"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FROM ${BASE}");
  }

  @Test
  void theTagFollowsTheJarsContent(@TempDir Path dir) throws Exception {
    Path a = Files.write(dir.resolve("a.jar"), new byte[] {1, 2, 3});
    Path b = Files.write(dir.resolve("b.jar"), new byte[] {1, 2, 3});
    Path c = Files.write(dir.resolve("c.jar"), new byte[] {1, 2, 4});

    assertThat(MeldImage.tag(a)).hasSize(12).isEqualTo(MeldImage.tag(b)).isNotEqualTo(MeldImage.tag(c));
  }

  @Test
  void aMissingJarIsAClearError(@TempDir Path dir) {
    assertThatThrownBy(() -> MeldImage.production(dir.resolve("missing.jar")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no node jar at");
  }
}
