package dev.meld.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Waiting for a node to be ready through its admin port. */
class AdminHttpTest {

  @Test
  void aNodeThatExitedEndsTheReadyWaitAtOnceNotAtTheTimeout() throws Exception {
    // The wait used to treat a dead node as "not ready yet" and poll it until the ready timeout
    // (60 s local, 90 s on containers) before the caller could say it had exited.
    AdminHttp admin = new AdminHttp(Duration.ofMillis(200));
    long start = System.nanoTime();

    OptionalLong incarnation =
        admin.awaitReady("n1", unusedLoopbackAddress(), Duration.ofSeconds(30), () -> false);

    assertThat(incarnation).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aLiveNodeThatNeverAnswersIsWaitedForUntilTheTimeout() throws Exception {
    AdminHttp admin = new AdminHttp(Duration.ofMillis(200));
    long start = System.nanoTime();

    OptionalLong incarnation =
        admin.awaitReady("n1", unusedLoopbackAddress(), Duration.ofMillis(800), () -> true);

    assertThat(incarnation).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(800));
  }

  private static InetSocketAddress unusedLoopbackAddress() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
    }
  }
}
