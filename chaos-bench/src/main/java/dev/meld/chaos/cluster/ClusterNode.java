package dev.meld.chaos.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What every node of a {@link NamedNodeCluster} has, whatever runs it: a name, a directory on the
 * bench's host that survives restarts, a state, and a log that every run appends to under a header,
 * so that the drain check reads only the last run.
 *
 * <pre>
 * out/nodes/n1/data/     the store
 * out/nodes/n1/node.log  the node's output, every run appended, each headed by "=== run K: ..."
 * out/nodes/n1/clock     libfaketime's offset
 * out/nodes/n1/backups/before-partition/   a copy of data/ a backup step took ({@link NodeCopies})
 * </pre>
 */
public abstract class ClusterNode {

  private final String name;
  private final Path dir;
  private volatile NodeState state = NodeState.NEW;
  private int runs;

  protected ClusterNode(String name, Path nodesDir) {
    this.name = name;
    this.dir = nodesDir.resolve(name);
  }

  /** Where clients reach the node (its RESP port). */
  public abstract InetSocketAddress client();

  /** Where the bench asks the node for its health, readiness and to leave. */
  public abstract InetSocketAddress admin();

  public final String name() {
    return name;
  }

  public final Path dir() {
    return dir;
  }

  public final Path dataDir() {
    return dir.resolve("data");
  }

  /**
   * Where the copy named {@code copy} of this node's data directory is kept.
   *
   * @throws IllegalArgumentException for a name that is not a copy name ({@link
   *     NodeCopies#requireName})
   */
  public final Path copyDir(String copy) {
    return dir.resolve("backups").resolve(NodeCopies.requireName(copy));
  }

  public final Path log() {
    return dir.resolve("node.log");
  }

  /** The admin token the node is started with ({@code --admin-token-file}). */
  public final Path adminTokenFile() {
    return dir.resolve("admin-token");
  }

  /** Writes {@code token} to {@link #adminTokenFile()}, creating the node's directory. */
  public final void writeAdminToken(String token) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(adminTokenFile(), token + "\n", StandardCharsets.UTF_8);
  }

  public final Path clockFile() {
    return dir.resolve("clock");
  }

  public final NodeState state() {
    return state;
  }

  public final void state(NodeState state) {
    this.state = state;
  }

  /** Appends a run header ({@code what}: the command) to the log before a start. */
  public final synchronized void beginRun(String what) throws IOException {
    Files.createDirectories(dir);
    runs++;
    Files.writeString(
        log(),
        "=== run " + runs + ": " + what + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** The log lines of the current run (after its header). */
  public final synchronized List<String> currentRunLog() throws IOException {
    List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
    String header = "=== run " + runs + ":";
    int from = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(header)) {
        from = i + 1;
      }
    }
    return lines.subList(from, lines.size());
  }

  /** Deletes the data directory; true if it no longer exists. */
  public boolean destroyData() throws IOException {
    deleteTree(dataDir());
    return !Files.exists(dataDir());
  }

  /** Deletes {@code dir} and everything below it, if it exists. */
  public static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
