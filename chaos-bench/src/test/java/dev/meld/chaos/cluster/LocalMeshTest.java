package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.chaos.cluster.LocalMesh.Link;
import dev.meld.chaos.proxy.MeshLinks.Fault;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local mesh over the in-process fault proxy: cuts, reopening, slow and lossy links, heal. */
class LocalMeshTest {

  private static final Link AB = new Link("a", "b");
  private static final Link BA = new Link("b", "a");

  private final PortAllocator ports = PortAllocator.forLoopback();
  private ServerSocket nodeA;
  private ServerSocket nodeB;
  private Thread acceptor;
  private LocalMesh mesh;

  @BeforeEach
  void start() throws IOException {
    nodeA = listen();
    nodeB = listen();
    acceptor = new Thread(this::acceptAndClose, "accept");
    acceptor.setDaemon(true);
    acceptor.start();
    mesh = LocalMesh.start(Optional.empty(), 7);
  }

  private ServerSocket listen() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress("127.0.0.1", 0));
    socket.setSoTimeout(50);
    return socket;
  }

  /**
   * Stands in for the nodes' mesh ports: like a node given bytes that are not its protocol, it
   * reads the first byte and hangs up.
   */
  private void acceptAndClose() {
    while (!nodeA.isClosed()) {
      for (ServerSocket s : new ServerSocket[] {nodeA, nodeB}) {
        try (Socket connection = s.accept()) {
          connection.setSoTimeout(10_000);
          connection.getInputStream().read();
        } catch (IOException e) {
          // timeout or closed
        }
      }
    }
  }

  @AfterEach
  void stop() throws IOException {
    mesh.close();
    nodeA.close();
    nodeB.close();
  }

  private void addLinks() throws IOException {
    int port = ports.next();
    InetSocketAddress dial =
        mesh.addLink("a", "b", port, (InetSocketAddress) nodeB.getLocalSocketAddress());
    assertThat(dial.getPort()).isEqualTo(port);
    mesh.addLink("b", "a", ports.next(), (InetSocketAddress) nodeA.getLocalSocketAddress());
  }

  @Test
  void aCutIsCheckedAndACutNoLongerWantedIsReopened() throws IOException {
    addLinks();
    String detail = mesh.cutExactly(Set.of(AB));
    assertThat(detail).contains("1 links cut").contains("1 other links open");
    assertThat(mesh.faults(AB)).containsExactly(Fault.CUT);
    assertThat(mesh.faults(BA)).isEmpty();

    mesh.cutExactly(Set.of(BA));
    assertThat(mesh.faults(AB)).isEmpty();
    assertThat(mesh.faults(BA)).containsExactly(Fault.CUT);
    assertThat(mesh.cutLinks()).containsExactly(BA);
  }

  @Test
  void reopeningACutLinkKeepsItsSlowAndLossyFaults() throws IOException {
    addLinks();
    mesh.slow(AB, Duration.ofMillis(500), Duration.ofMillis(10));
    mesh.lossy(AB, 0.5);
    mesh.cutExactly(Set.of(AB));
    assertThat(mesh.faults(AB)).containsExactlyInAnyOrder(Fault.CUT, Fault.SLOW, Fault.LOSSY);

    mesh.cutExactly(Set.of());
    assertThat(mesh.faults(AB)).containsExactlyInAnyOrder(Fault.SLOW, Fault.LOSSY);
  }

  @Test
  void aSlowLinkIsVerifiedByTheTimeAProbeTakes() throws IOException {
    addLinks();
    Duration fast = mesh.hangUpDelay(AB, Duration.ofSeconds(5)).orElseThrow();
    assertThat(fast).isLessThan(Duration.ofMillis(1000));

    String detail = mesh.slow(AB, Duration.ofMillis(1500), Duration.ZERO);

    assertThat(detail).contains("server: SLOW").contains("probe answered after");
    assertThat(mesh.hangUpDelay(AB, Duration.ofSeconds(5)).orElseThrow())
        .isGreaterThanOrEqualTo(Duration.ofMillis(1450));
    assertThat(mesh.hangUpDelay(BA, Duration.ofSeconds(5)).orElseThrow())
        .isLessThan(Duration.ofMillis(1000));
  }

  @Test
  void healRemovesEveryFaultFromEveryLink() throws IOException {
    addLinks();
    mesh.slow(BA, Duration.ofSeconds(2), Duration.ZERO);
    mesh.cutExactly(Set.of(AB));

    assertThat(mesh.healAll()).isEqualTo("2 links healed (server: no faults, probe: accepted)");
    assertThat(mesh.faults(AB)).isEmpty();
    assertThat(mesh.faults(BA)).isEmpty();
    assertThat(mesh.cutLinks()).isEmpty();
  }

  @Test
  void anUnknownLinkIsRefusedAndNothingChanges() throws IOException {
    addLinks();
    assertThatThrownBy(() -> mesh.cutExactly(Set.of(AB, new Link("a", "c"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("link a->c: unknown");
    assertThat(mesh.faults(AB)).isEmpty();
  }
}
