package dev.meld.testcontainers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * One Meld node in a container. Clients speak RESP on {@link #clientPort()} (any Redis client
 * works); {@link #adminUrl()} serves {@code /health}, {@code /ready} and {@code /metrics}. The
 * container counts as started when {@code /ready} answers 200.
 *
 * <pre>{@code
 * try (MeldContainer node = new MeldContainer(MeldImage.production(jar))) {
 *   node.start();
 *   try (Jedis redis = new Jedis(node.clientHost(), node.clientPort())) {
 *     redis.incr("visits");
 *   }
 * }
 * }</pre>
 *
 * For several nodes use {@link MeldCluster}, which puts them on one network and seeds them with
 * each other.
 */
public class MeldContainer extends GenericContainer<MeldContainer> {

  public static final int CLIENT_PORT = 6379;
  public static final int MESH_PORT = 7379;
  public static final int ADMIN_PORT = 9379;

  /**
   * The cluster secret a container's node gets unless its node arguments bring credentials of
   * their own ({@code --cluster-secret}, {@code --cluster-secret-file}, {@code --mesh-tls-cert} or
   * {@code --insecure-mesh}): the mesh binds all interfaces inside the container, and a node refuses
   * to start there without credentials. The same in every container, so nodes wired by hand with
   * {@link #withSeed} agree; for tests only, on a Docker network of their own.
   */
  public static final String TEST_CLUSTER_SECRET = "meld-testcontainers-cluster-secret";

  private static final List<String> CREDENTIAL_OPTIONS =
      List.of("--cluster-secret", "--cluster-secret-file", "--mesh-tls-cert", "--insecure-mesh");

  private String nodeName = "n1";
  private final Map<String, String> seeds = new LinkedHashMap<>();
  private final List<String> extraArgs = new ArrayList<>();

  public MeldContainer(DockerImageName image) {
    super(image);
    addExposedPorts(CLIENT_PORT, ADMIN_PORT);
    waitingFor(
        Wait.forHttp("/ready")
            .forPort(ADMIN_PORT)
            .forStatusCode(200)
            .withStartupTimeout(Duration.ofSeconds(90)));
  }

  /** The node's name in the cluster (default {@code n1}); also its network alias in a cluster. */
  public MeldContainer withNodeName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
      throw new IllegalArgumentException("node name: \"" + name + "\" (expected: letters, digits, _ . -)");
    }
    this.nodeName = name;
    return self();
  }

  /** A member to start from: its name and mesh address as this container reaches it. */
  public MeldContainer withSeed(String name, String host, int meshPort) {
    seeds.put(Objects.requireNonNull(name), host + ":" + meshPort);
    return self();
  }

  /** Any further {@code meld-node} option, e.g. {@code "--cluster-secret", "s3cret"}. */
  public MeldContainer withNodeArgs(String... args) {
    extraArgs.addAll(List.of(args));
    return self();
  }

  @Override
  protected void configure() {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "--name", nodeName,
            "--data-dir", MeldImage.DATA_DIR,
            "--client", "0.0.0.0:" + CLIENT_PORT,
            "--mesh", "0.0.0.0:" + MESH_PORT,
            "--admin", "0.0.0.0:" + ADMIN_PORT));
    if (!seeds.isEmpty()) {
      StringBuilder list = new StringBuilder();
      seeds.forEach((n, a) -> list.append(list.length() == 0 ? "" : ",").append(n).append('=').append(a));
      command.add("--seeds");
      command.add(list.toString());
    }
    boolean credentials =
        extraArgs.stream()
            .anyMatch(a -> CREDENTIAL_OPTIONS.stream().anyMatch(o -> a.equals(o) || a.startsWith(o + "=")));
    if (!credentials) {
      command.add("--cluster-secret");
      command.add(TEST_CLUSTER_SECRET);
    }
    command.addAll(extraArgs);
    setCommand(command.toArray(String[]::new));
  }

  public String nodeName() {
    return nodeName;
  }

  /** The host to reach the client port on from the test. */
  public String clientHost() {
    return getHost();
  }

  /** The client (RESP) port as mapped on the test's host. */
  public int clientPort() {
    return getMappedPort(CLIENT_PORT);
  }

  /** {@code http://host:port} of the admin endpoints. */
  public String adminUrl() {
    return "http://" + getHost() + ":" + getMappedPort(ADMIN_PORT);
  }
}
