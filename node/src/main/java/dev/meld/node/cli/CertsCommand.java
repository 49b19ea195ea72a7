package dev.meld.node.cli;

import dev.meld.node.tls.DevCertificates;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meld-node certs}: writes a development CA and a certificate and key per node (for the mesh
 * and the client port) plus one for tools, refusing to overwrite anything. See {@link
 * DevCertificates}.
 */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Writes a dev CA and per-node certificates and keys (PEM) for mesh and client TLS.")
final class CertsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write into.")
  Path out;

  @Option(
      names = "--nodes",
      paramLabel = "NAME[,...]",
      required = true,
      split = ",",
      description = "The node names; each gets NAME.pem and NAME-key.pem.")
  List<String> nodes = new ArrayList<>();

  @Option(
      names = "--hosts",
      paramLabel = "HOST[,...]",
      split = ",",
      defaultValue = "127.0.0.1,localhost",
      description = "Addresses and DNS names every node certificate also names (default: ${DEFAULT-VALUE}).")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--days", defaultValue = "365", description = "Validity in days (default: ${DEFAULT-VALUE}).")
  int days;

  @Override
  public Integer call() {
    List<Path> written;
    try {
      if (days < 1) {
        throw new IllegalArgumentException("--days: " + days + " (expected: >= 1)");
      }
      written = new DevCertificates(Instant.now(), Duration.ofDays(days)).write(out, nodes, hosts);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      spec.commandLine().getErr().println("meld-node certs: " + e.getMessage());
      return 1;
    }
    for (Path p : written) {
      spec.commandLine().getOut().println("wrote " + p);
    }
    return 0;
  }
}
