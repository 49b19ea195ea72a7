package dev.meld.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.server.NodeRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up rule of the mesh and the TLS options, through the command line: a mesh bound beyond
 * loopback without credentials is refused (and nothing is created), {@code --insecure-mesh}, a
 * secret or mesh TLS let it start; {@code meld-node certs} writes files the node accepts and refuses
 * to overwrite them; broken TLS files are named in the error.
 */
class MeshCredentialsStartupTest {

  private static final String RULE =
      "mesh bind 0.0.0.0:%d is reachable beyond loopback and has no credentials (expected:"
          + " --mesh-tls-cert/--mesh-tls-key/--mesh-tls-ca, or --cluster-secret, or --insecure-mesh)";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicReference<String> banner = new AtomicReference<>();

  private int run(String... args) {
    return MeldNodeMain.run(
        args,
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        node -> {
          banner.set(MeldNodeMain.banner(node));
          node.shutdown();
        });
  }

  private String[] node(String name, String mesh, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--name", name,
                "--data-dir", dir.resolve("data-" + name).toString(),
                "--client", "off",
                "--admin", "off",
                "--mesh", mesh));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  @Test
  void aMeshBoundBeyondLoopbackWithoutCredentialsRefusesToStartAndCreatesNothing() {
    int port = 7946; // never bound: the rule refuses before anything opens
    assertThat(run(node("n1", "0.0.0.0:" + port))).isEqualTo(1);
    assertThat(err.toString()).contains(String.format(RULE, port));
    assertThat(dir.resolve("data-n1")).doesNotExist();
  }

  @Test
  void insecureMeshStartsBeyondLoopback() {
    assertThat(run(node("n1", "0.0.0.0:0", "--insecure-mesh"))).as(err::toString).isZero();
    assertThat(banner.get()).startsWith("meld node n1");
  }

  @Test
  void aClusterSecretLetsAMeshStartBeyondLoopback() {
    assertThat(run(node("n1", "0.0.0.0:0", "--cluster-secret", "0123456789abcdef0123")))
        .as(err::toString)
        .isZero();
  }

  @Test
  void loopbackMeshesNeedNoCredentials() {
    assertThat(run(node("n1", "127.0.0.1:0"))).as(err::toString).isZero();
  }

  @Test
  void certsWritesFilesTheNodeAcceptsAndRefusesToOverwriteThem() throws Exception {
    Path certs = dir.resolve("certs");
    assertThat(run("certs", "--out", certs.toString(), "--nodes", "n1,n2", "--days", "30"))
        .as(err::toString)
        .isZero();
    for (String f :
        List.of("ca.pem", "ca-key.pem", "n1.pem", "n1-key.pem", "n2.pem", "n2-key.pem", "client.pem", "client-key.pem")) {
      assertThat(certs.resolve(f)).exists();
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("n1-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("ca-key.pem"))))
        .isEqualTo("rw-------");
    String caBefore = Files.readString(certs.resolve("ca.pem"));

    assertThat(
            run(
                node(
                    "n1",
                    "0.0.0.0:0",
                    "--mesh-tls-cert", certs.resolve("n1.pem").toString(),
                    "--mesh-tls-key", certs.resolve("n1-key.pem").toString(),
                    "--mesh-tls-ca", certs.resolve("ca.pem").toString(),
                    "--tls-port", "0",
                    "--tls-cert-file", certs.resolve("n1.pem").toString(),
                    "--tls-key-file", certs.resolve("n1-key.pem").toString(),
                    "--tls-ca-cert-file", certs.resolve("ca.pem").toString(),
                    "--tls-auth-clients", "yes")))
        .as(err::toString)
        .isZero();
    assertThat(banner.get()).matches("meld node n1 .* tls 127\\.0\\.0\\.1:\\d+");

    err.getBuffer().setLength(0);
    assertThat(run("certs", "--out", certs.toString(), "--nodes", "n3")).isEqualTo(1);
    assertThat(err.toString()).contains("ca.pem: exists (expected: a new file; nothing was written)");
    assertThat(certs.resolve("n3.pem")).doesNotExist();
    assertThat(Files.readString(certs.resolve("ca.pem"))).isEqualTo(caBefore);
  }

  @Test
  void brokenTlsFilesAreNamedInTheError() throws Exception {
    Path certs = dir.resolve("certs");
    assertThat(run("certs", "--out", certs.toString(), "--nodes", "n1,n2")).isZero();
    Path notPem = Files.writeString(dir.resolve("junk.pem"), "hello\n");

    assertThat(run(meshTls(certs, "n1", dir.resolve("missing.pem"), certs.resolve("n1-key.pem")))).isEqualTo(1);
    assertThat(err.toString()).contains("--mesh-tls-cert " + dir.resolve("missing.pem") + ": no such file");

    assertThat(run(meshTls(certs, "n1", notPem, certs.resolve("n1-key.pem")))).isEqualTo(1);
    assertThat(err.toString()).contains("--mesh-tls-cert " + notPem + ": is not PEM");

    assertThat(run(meshTls(certs, "n1", certs.resolve("n1.pem"), certs.resolve("n2-key.pem")))).isEqualTo(1);
    assertThat(err.toString())
        .contains("private key " + certs.resolve("n2-key.pem") + ": does not match the certificate in " + certs.resolve("n1.pem"));

    assertThat(run(node("n1", "127.0.0.1:0", "--mesh-tls-cert", certs.resolve("n1.pem").toString())))
        .isEqualTo(2);
    assertThat(err.toString()).contains("must be given together (expected: all three or none)");
  }

  private String[] meshTls(Path certs, String name, Path cert, Path key) {
    return node(
        name,
        "127.0.0.1:0",
        "--mesh-tls-cert", cert.toString(),
        "--mesh-tls-key", key.toString(),
        "--mesh-tls-ca", certs.resolve("ca.pem").toString());
  }
}
