package dev.meld.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.meld.crdt.ReplicaId;
import dev.meld.node.transport.MeshFixture.Node;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * 20,000 undecodable peer frames produced 20,000 WARN lines (2.9 MB of log in under a second): now
 * they are all counted, and logged a bounded number of times.
 */
class MeshFloodTest {

  @RegisterExtension final MeshFixture mesh = new MeshFixture();

  @Test
  void aFloodOfUndecodableFramesIsCountedInFullAndLoggedAFewTimes() throws Exception {
    Node a = mesh.start("a");
    Logger logger = (Logger) LoggerFactory.getLogger(PeerConnection.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    int frames = 20_000;
    try (Socket s = new Socket("127.0.0.1", a.address().getPort())) {
      s.setSoTimeout(5_000);
      RawFrames.handshakeAsDialer(s, MeshFixture.CLUSTER, new ReplicaId("evil", 1), "a");
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
      Frame garbage = new Frame(MeshFrame.MESSAGE, new byte[] {9, 9, 9});
      for (int i = 0; i < frames; i++) {
        out.write(garbage.toBytes());
        if (i % 2_000 == 1_999) {
          out.flush(); // keeps the connection busy: the inbound idle timer never fires
        }
      }
      out.flush();
      MeshFixture.eventually(
          "every frame counted", () -> a.transport().counters().undecodableMessages() == frames);
    } finally {
      logger.detachAppender(lines);
    }
    long warnings =
        lines.list.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .filter(e -> e.getFormattedMessage().contains("undecodable"))
            .count();
    assertThat(warnings).as("WARN lines for %d undecodable frames", frames).isBetween(0L, 3L);
    assertThat(a.listener().messages).isEmpty();
  }
}
