package dev.meld.node.cli;

import dev.meld.node.Member;
import dev.meld.node.Misbehavior;
import dev.meld.node.ReplicaConfig;
import dev.meld.node.server.Addresses;
import dev.meld.node.server.NodeConfig;
import dev.meld.node.server.NodeInfo;
import dev.meld.node.server.NodeRuntime;
import dev.meld.node.tls.ClientTls;
import dev.meld.node.tls.NodeTls;
import dev.meld.node.tls.TlsFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar meld-node.jar}: runs one Meld node until it is stopped (SIGTERM or Ctrl-C drain
 * it first) or leaves the cluster ({@code POST /leave} on the admin port). With no options it
 * starts node {@code n1} alone, with its data under {@code ./meld-data/n1} and its ports on
 * loopback; {@code --help} lists the options. Exit codes: 0 after a stop or a leave, 1 if the node
 * cannot start, 2 for bad options.
 */
@Command(
    name = "meld-node",
    mixinStandardHelpOptions = true,
    versionProvider = MeldNodeMain.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "Runs a Meld node: CRDT counters, sets and registers over the Redis protocol.",
    subcommands = CertsCommand.class)
public final class MeldNodeMain implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file of defaults, keyed by long option name (data-dir=...).")
  Path config;

  @Option(names = "--name", defaultValue = "n1", description = "This node's name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Store directory (default: ./meld-data/NAME).")
  Path dataDir;

  @Option(
      names = "--client",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:6379",
      converter = AddressConverter.class,
      description = "RESP port, or 'off' (default: ${DEFAULT-VALUE}; port 0: any free port).")
  InetSocketAddress client;

  @Option(
      names = "--mesh",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:7379",
      converter = AddressConverter.class,
      description = "Peer port (default: ${DEFAULT-VALUE}).")
  InetSocketAddress mesh;

  @Option(
      names = "--admin",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:9379",
      converter = AddressConverter.class,
      description = "Admin HTTP port (/health, /ready, /metrics), or 'off' (default: ${DEFAULT-VALUE}).")
  InetSocketAddress admin;

  @Option(
      names = "--seeds",
      paramLabel = "NAME=HOST:PORT[,...]",
      description = "The members to start from (their mesh ports); may include this node.")
  String seeds;

  @Option(
      names = "--dial",
      paramLabel = "NAME=HOST:PORT",
      description = "Dial a peer at this address instead of its member address (repeatable).")
  List<String> dial = new ArrayList<>();

  @Option(names = "--cluster", defaultValue = "meld", description = "Cluster name (default: ${DEFAULT-VALUE}).")
  String cluster;

  @Option(
      names = "--cluster-secret",
      paramLabel = "SECRET",
      description = "Shared secret peers must prove (at least 16 bytes).")
  String clusterSecret;

  @Option(
      names = "--cluster-secret-file",
      paramLabel = "FILE",
      description = "Read the shared secret from a file (trailing newline ignored).")
  Path clusterSecretFile;

  @Option(
      names = "--mesh-tls-cert",
      paramLabel = "FILE",
      description = "Mesh TLS: this node's certificate chain (PEM); it must name the node (CN or URI meld-node:NAME).")
  Path meshTlsCert;

  @Option(names = "--mesh-tls-key", paramLabel = "FILE", description = "Mesh TLS: this node's private key (PEM).")
  Path meshTlsKey;

  @Option(
      names = "--mesh-tls-ca",
      paramLabel = "FILE",
      description = "Mesh TLS: the cluster CA (PEM); peers must present a certificate it signed.")
  Path meshTlsCa;

  @Option(
      names = "--insecure-mesh",
      description = "Let a mesh bound beyond loopback start with no TLS and no cluster secret.")
  boolean insecureMesh;

  @Option(
      names = "--tls-port",
      paramLabel = "[HOST:]PORT",
      description = "A TLS client (RESP) port; a bare port binds the --client host (default: none).")
  String tlsPort;

  @Option(names = "--tls-cert-file", paramLabel = "FILE", description = "TLS client port: certificate chain (PEM).")
  Path tlsCertFile;

  @Option(names = "--tls-key-file", paramLabel = "FILE", description = "TLS client port: private key (PEM).")
  Path tlsKeyFile;

  @Option(
      names = "--tls-ca-cert-file",
      paramLabel = "FILE",
      description = "TLS client port: CA of client certificates (PEM).")
  Path tlsCaCertFile;

  @Option(
      names = "--tls-auth-clients",
      paramLabel = "yes|optional|no",
      defaultValue = "optional",
      description = "Whether TLS clients must present a certificate (default: ${DEFAULT-VALUE}).")
  String tlsAuthClients;

  @Option(names = "--password", description = "Password RESP clients must give with AUTH.")
  String password;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "300",
      converter = IdleTimeout.class,
      description =
          "Close RESP clients idle this long; 0: never. A plain number is seconds, as Redis'"
              + " timeout (default: ${DEFAULT-VALUE}).")
  long clientTimeoutMillis;

  @Option(
      names = "--maxclients",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Most RESP clients at once (default: ${DEFAULT-VALUE}).")
  int maxClients;

  @Option(
      names = "--client-request-budget",
      paramLabel = "BYTES",
      defaultValue = "268435456",
      description =
          "Node-wide bytes RESP requests still being read may hold; a request beyond it is refused"
              + " (default: ${DEFAULT-VALUE}, 256 MiB; at least 64 MiB).")
  long clientRequestBudget;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description =
          "Bearer token for mutating admin requests (POST /leave), read from a file (trailing"
              + " newline ignored; at least 16 bytes). Default: the --password.")
  Path adminTokenFile;

  @Option(
      names = "--admin-insecure",
      description =
          "With no admin token and no --password, let POST /leave through without a token. Only"
              + " with the admin port on loopback.")
  boolean adminInsecure;

  @Option(
      names = "--ping-interval",
      paramLabel = "DURATION",
      defaultValue = "500ms",
      converter = Durations.class,
      description = "How often peers are pinged (default: ${DEFAULT-VALUE}).")
  long pingIntervalMillis;

  @Option(
      names = "--anti-entropy-interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = Durations.class,
      description = "Mean spacing of anti-entropy rounds (default: ${DEFAULT-VALUE}).")
  long antiEntropyIntervalMillis;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Durations.class,
      description = "How long a stopping node waits for peers to catch up (default: ${DEFAULT-VALUE}).")
  long drainTimeoutMillis;

  @Option(
      names = "--fsync",
      arity = "0..1",
      defaultValue = "false",
      description = "fsync every commit: survives power loss, costs latency (default: ${DEFAULT-VALUE}).")
  boolean fsync;

  @Option(
      names = "--accept-data-loss",
      description =
          "Start even if the store's write-ahead log lost acknowledged writes: open it up to its"
              + " last intact point under a new incarnation and let anti-entropy repair it from"
              + " peers. Without it such a store is refused at start.")
  boolean acceptDataLoss;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      defaultValue = "info",
      description = "error, warn, info, debug or trace (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Option(names = "--unsafe-misbehave", hidden = true, split = ",")
  List<Misbehavior> misbehave = new ArrayList<>();

  private final CountDownLatch stopped = new CountDownLatch(1);
  private Consumer<NodeRuntime> onStarted;

  public static void main(String[] args) {
    int code =
        run(
            args,
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8),
            null);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Parses {@code args} and runs the node until it stops; for tests, {@code started} (if not null)
   * receives the running node instead of waiting for a signal. Returns the exit code.
   */
  static int run(
      String[] args, PrintWriter out, PrintWriter err, Consumer<NodeRuntime> started) {
    MeldNodeMain main = new MeldNodeMain();
    main.onStarted = started;
    CommandLine cmd = new CommandLine(main);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setParameterExceptionHandler(MeldNodeMain::badOptions);
    cmd.setExecutionExceptionHandler(
        (e, c, parsed) -> {
          if (e instanceof ParameterException p) { // options that parse but do not fit together
            return badOptions(p, args);
          }
          throw e;
        });
    try {
      Path file = ConfigFile.find(List.of(args));
      if (file != null) {
        cmd.setDefaultValueProvider(ConfigFile.load(file, cmd));
      }
    } catch (ParameterException e) {
      return badOptions(e, args);
    }
    return cmd.execute(args);
  }


  @Override
  public Integer call() {
    NodeConfig nodeConfig = nodeConfig();
    Logging.configure(Logging.level(logLevel));
    NodeRuntime node;
    try {
      node = NodeRuntime.start(nodeConfig);
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(MeldNodeMain.class).error("node {} cannot start", name, e);
      spec.commandLine().getErr().println("meld-node: cannot start: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println(banner(node));
    if (onStarted != null) {
      onStarted.accept(node);
      return 0;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.shutdown();
                  stopped.countDown();
                  // The JVM would exit with 128 + the signal's number; a node that stopped as asked
                  // (drained, closed cleanly) exits 0. Nothing else runs hooks: nobody calls exit.
                  Runtime.getRuntime().halt(0);
                },
                "meld-shutdown"));
    // POST /leave: the node removes itself, drains and stops by itself; the process then exits 0
    // through the hook above (which finds the node already stopped).
    node.left().thenRun(() -> System.exit(0));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The line a started node prints: its name, incarnation and bound ports. */
  static String banner(NodeInfo info) {
    return "meld node "
        + info.nodeName()
        + " (incarnation "
        + Long.toUnsignedString(info.incarnation())
        + ") client "
        + port(info.clientAddress())
        + " mesh "
        + port(info.meshAddress())
        + " admin "
        + port(info.adminAddress());
  }

  /** The banner, and the TLS client port after it when there is one. */
  static String banner(NodeRuntime node) {
    InetSocketAddress tls = node.tlsClientAddress();
    return banner(node.info()) + (tls == null ? "" : " tls " + port(tls));
  }

  private static String port(InetSocketAddress a) {
    return a == null ? AddressConverter.OFF : Addresses.format(a);
  }

  /** The node configuration the options describe; bad combinations are parameter errors. */
  NodeConfig nodeConfig() {
    try {
      Logging.level(logLevel);
      if (mesh == null) {
        throw new IllegalArgumentException("--mesh: off (expected: host:port; a node needs a mesh port)");
      }
      List<Member> members = new ArrayList<>();
      Addresses.parseNamed(seeds)
          .forEach((n, a) -> members.add(new Member(n, Addresses.format(a))));
      Map<String, InetSocketAddress> overrides = new LinkedHashMap<>();
      for (String d : dial) {
        Addresses.parseNamed(d).forEach(overrides::put);
      }
      EnumSet<Misbehavior> misbehaviors = EnumSet.noneOf(Misbehavior.class);
      misbehaviors.addAll(misbehave);
      ReplicaConfig replica =
          ReplicaConfig.builder(name)
              .clusterName(cluster)
              .seeds(members)
              .pingIntervalMillis(pingIntervalMillis)
              .peerDeadTimeoutMillis(Math.max(2_000, 4 * pingIntervalMillis))
              .antiEntropyIntervalMillis(antiEntropyIntervalMillis)
              .antiEntropyJitterMillis(antiEntropyIntervalMillis / 2)
              .misbehaviors(misbehaviors)
              .build();
      NodeConfig.Builder b =
          NodeConfig.builder(replica)
              .clientBind(client)
              .meshBind(mesh)
              .adminBind(admin)
              .dialOverrides(overrides)
              .clusterSecret(secret())
              .password(password)
              .clientIdleTimeoutMillis(clientTimeoutMillis)
              .maxClients(maxClients)
              .clientRequestBudgetBytes(clientRequestBudget)
              .adminToken(adminToken())
              .adminInsecure(adminInsecure)
              .drainTimeoutMillis(drainTimeoutMillis)
              .fsync(fsync)
              .acceptDataLoss(acceptDataLoss)
              .tls(tls())
              .insecureMesh(insecureMesh);
      if (dataDir != null) {
        b.dataDir(dataDir);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** The TLS settings the options describe. */
  private NodeTls tls() {
    TlsFiles meshFiles = null;
    if (meshTlsCert != null || meshTlsKey != null || meshTlsCa != null) {
      if (meshTlsCert == null || meshTlsKey == null || meshTlsCa == null) {
        throw new IllegalArgumentException(
            "mesh TLS: --mesh-tls-cert, --mesh-tls-key and --mesh-tls-ca must be given together"
                + " (expected: all three or none)");
      }
      meshFiles = new TlsFiles(meshTlsCert, meshTlsKey, meshTlsCa, TlsFiles.Flags.MESH);
    }
    InetSocketAddress tlsBind = null;
    TlsFiles clientFiles = null;
    if (tlsPort != null) {
      String v = tlsPort.trim();
      tlsBind =
          v.matches("\\d+")
              ? new InetSocketAddress(client != null ? client.getHostString() : "127.0.0.1", Integer.parseInt(v))
              : Addresses.parse(v);
    }
    if (tlsCertFile != null || tlsKeyFile != null) {
      if (tlsCertFile == null || tlsKeyFile == null) {
        throw new IllegalArgumentException(
            "client TLS: --tls-cert-file and --tls-key-file must be given together (expected: both or neither)");
      }
      clientFiles = new TlsFiles(tlsCertFile, tlsKeyFile, tlsCaCertFile, TlsFiles.Flags.CLIENT);
    }
    return new NodeTls(meshFiles, tlsBind, clientFiles, ClientTls.AuthClients.parse(tlsAuthClients));
  }

  private String secret() {
    if (clusterSecret != null && clusterSecretFile != null) {
      throw new IllegalArgumentException(
          "--cluster-secret and --cluster-secret-file both given (expected: one of them)");
    }
    if (clusterSecretFile == null) {
      return clusterSecret;
    }
    try {
      return Files.readString(clusterSecretFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--cluster-secret-file: " + clusterSecretFile + " cannot be read (" + e.getMessage() + ")");
    }
  }

  private String adminToken() {
    if (adminTokenFile == null) {
      return null;
    }
    String token;
    try {
      token = Files.readString(adminTokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--admin-token-file: " + adminTokenFile + " cannot be read (" + e.getMessage() + ")");
    }
    int bytes = token.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 16) {
      throw new IllegalArgumentException(
          "--admin-token-file: "
              + adminTokenFile
              + " holds a token of "
              + bytes
              + " bytes (expected: >= 16)");
    }
    return token;
  }

  private static int badOptions(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println("meld-node: " + e.getMessage());
    cmd.getErr().println("Try 'meld-node --help' for the options.");
    return CommandLine.ExitCode.USAGE;
  }

  /** The version from the build. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"meld-node " + NodeRuntime.version()};
    }
  }
}
