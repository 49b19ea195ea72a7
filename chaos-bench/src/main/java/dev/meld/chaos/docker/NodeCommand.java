package dev.meld.chaos.docker;

import dev.meld.testcontainers.MeldContainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a node container runs: the entrypoint script and the node's arguments. The image's own
 * entrypoint ({@code java -jar /opt/meld/meld-node.jar}) is replaced by a shell that first installs
 * the node's mesh faults (so a restarted node starts behind its cuts), then {@code exec}s the same
 * java command with the bench's JVM options, its output appended to the bind-mounted log. Java stays
 * process 1, so {@code docker kill --signal} reaches the node itself.
 */
final class NodeCommand {

  /** Where the node's run directory (log, clock file, fault script) is mounted. */
  static final String RUN_DIR = "/meld";

  /** The image's data directory; the node's host data directory is mounted here. */
  static final String DATA_DIR = dev.meld.testcontainers.MeldImage.DATA_DIR;

  static final String JAR = dev.meld.testcontainers.MeldImage.JAR_PATH;
  static final String LOG = RUN_DIR + "/node.log";
  static final String CLOCK = RUN_DIR + "/clock";
  static final String FAULTS = RUN_DIR + "/net-faults.sh";
  /** The node's admin token, written by the bench into the run directory. */
  static final String ADMIN_TOKEN = RUN_DIR + "/admin-token";

  static final int CLIENT_PORT = MeldContainer.CLIENT_PORT;
  static final int MESH_PORT = MeldContainer.MESH_PORT;
  static final int ADMIN_PORT = MeldContainer.ADMIN_PORT;

  private NodeCommand() {}

  /** {@code sh -c SCRIPT meld-node}: the node arguments follow as {@code "$@"}. */
  static List<String> entrypoint(List<String> jvmOptions) {
    for (String option : jvmOptions) {
      if (!option.matches("[A-Za-z0-9_:=+.,/-]+")) {
        throw new IllegalArgumentException(
            "JVM option: \"" + option + "\" (expected: no spaces, quotes or shell characters)");
      }
    }
    String script =
        "if [ -f "
            + FAULTS
            + " ]; then sh "
            + FAULTS
            + " >>"
            + LOG
            + " 2>&1 || exit 97; fi; exec java "
            + String.join(" ", jvmOptions)
            + (jvmOptions.isEmpty() ? "" : " ")
            + "-jar "
            + JAR
            + " \"$@\" >>"
            + LOG
            + " 2>&1";
    return List.of("sh", "-c", script, "meld-node");
  }

  /**
   * The node's arguments.
   *
   * @param seeds member name to mesh address, this node's own included (it advertises that one)
   */
  /** The cluster secret of a docker run whose node arguments bring no credentials of their own. */
  static final String BENCH_CLUSTER_SECRET = "meld-chaos-bench-cluster-secret";

  private static final List<String> CREDENTIAL_OPTIONS =
      List.of("--cluster-secret", "--cluster-secret-file", "--mesh-tls-cert", "--insecure-mesh");

  static List<String> args(
      String name,
      String clusterName,
      Map<String, String> seeds,
      List<String> misbehaviors,
      List<String> nodeArgs) {
    if (!seeds.containsKey(name)) {
      throw new IllegalArgumentException(
          "seeds: " + seeds.keySet() + " (expected: to include " + name + ", its own address)");
    }
    List<String> args = new ArrayList<>();
    args.add("--name=" + name);
    args.add("--data-dir=" + DATA_DIR);
    args.add("--client=0.0.0.0:" + CLIENT_PORT);
    args.add("--mesh=0.0.0.0:" + MESH_PORT);
    args.add("--admin=0.0.0.0:" + ADMIN_PORT);
    args.add("--admin-token-file=" + ADMIN_TOKEN);
    args.add("--cluster=" + clusterName);
    args.add(
        "--seeds="
            + seeds.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue() + ":" + MESH_PORT)
                .collect(Collectors.joining(",")));
    // The mesh binds all interfaces in the container: without credentials the node refuses to
    // start. A fixed secret (the bench's networks are its own) unless the run brings its own.
    boolean credentials =
        nodeArgs.stream()
            .anyMatch(
                a ->
                    CREDENTIAL_OPTIONS.stream().anyMatch(o -> a.equals(o) || a.startsWith(o + "=")));
    if (!credentials) {
      args.add("--cluster-secret=" + BENCH_CLUSTER_SECRET);
    }
    if (!misbehaviors.isEmpty()) {
      args.add("--unsafe-misbehave=" + String.join(",", misbehaviors));
    }
    args.addAll(nodeArgs);
    return args;
  }
}
