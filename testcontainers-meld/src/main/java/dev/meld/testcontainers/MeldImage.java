package dev.meld.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * Meld's two images, built from a node jar on the local engine: {@code meld-node} (production: a
 * non-root user, the JRE and the jar) and {@code meld-node-debug} (the same jar plus iptables,
 * iproute2 and libfaketime, running as root, for fault injection). The Dockerfiles are the ones in
 * {@code debug-image/}, packaged with this module.
 *
 * <p>An image's tag is a digest of the jar, so a rebuilt jar gets a new image and an unchanged one
 * reuses the image already built. No registry is needed: the bases ({@value #JRE_BASE}, {@value
 * #DEBUG_BASE}) are built from Debian packages by {@code debug-image/setup.sh}.
 */
public final class MeldImage {

  /** Debian bookworm with a headless JRE 17 and nothing else. */
  public static final String JRE_BASE = "meld-jre:bookworm";

  /** {@link #JRE_BASE} plus iptables, iproute2, procps and faketime. */
  public static final String DEBUG_BASE = "meld-debug-base:bookworm";

  /** Inside both images. */
  public static final String JAR_PATH = "/opt/meld/meld-node.jar";

  /** The node's data directory inside both images (a volume). */
  public static final String DATA_DIR = "/var/lib/meld";

  /** libfaketime inside the debug image. */
  public static final String FAKETIME_LIBRARY =
      "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

  private MeldImage() {}

  /** The production image for {@code nodeJar}, built when missing. */
  public static DockerImageName production(Path nodeJar) {
    return ensure("meld-node", "Dockerfile", JRE_BASE, nodeJar);
  }

  /** The debug image for {@code nodeJar}, built when missing. */
  public static DockerImageName debug(Path nodeJar) {
    return ensure("meld-node-debug", "Dockerfile.debug", DEBUG_BASE, nodeJar);
  }

  private static synchronized DockerImageName ensure(
      String repository, String dockerfile, String base, Path nodeJar) {
    if (!Files.isRegularFile(nodeJar)) {
      throw new IllegalArgumentException(
          "no node jar at " + nodeJar + " (build it: mvn -B -pl node -am package -DskipTests)");
    }
    DockerImageName name = DockerImageName.parse(repository + ":" + tag(nodeJar));
    if (MeldDocker.imageExists(name.asCanonicalNameString())) {
      return name;
    }
    if (!MeldDocker.imageExists(base)) {
      throw new IllegalStateException(
          "base image " + base + " is missing (build it without a registry: debug-image/setup.sh)");
    }
    String built =
        new ImageFromDockerfile(name.asCanonicalNameString(), false)
            .withFileFromString("Dockerfile", withBase(resource(dockerfile), base))
            .withFileFromPath("meld-node.jar", nodeJar)
            .get();
    return DockerImageName.parse(built);
  }

  /**
   * The Dockerfile with its {@code BASE} argument resolved, so the build names the local base
   * outright (the build then never looks for it in a registry).
   */
  static String withBase(String dockerfile, String base) {
    StringBuilder out = new StringBuilder();
    for (String line : dockerfile.split("\n", -1)) {
      if (line.startsWith("ARG BASE=")) {
        continue;
      }
      out.append(line.equals("FROM ${BASE}") ? "FROM " + base : line).append('\n');
    }
    String text = out.toString();
    if (!text.contains("FROM " + base + "\n")) {
      throw new IllegalStateException("Dockerfile does not start FROM ${BASE}: " + dockerfile);
    }
    return text;
  }

  /** The first 12 hex digits of the jar's SHA-256. */
  static String tag(Path jar) {
    try (InputStream in = Files.newInputStream(jar)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the node jar " + jar + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = MeldImage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " (packaged from debug-image/)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read resource " + name, e);
    }
  }
}
