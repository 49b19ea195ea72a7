package dev.meld.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.node.testing.NoLeaks;
import dev.meld.node.tls.ClientSsl;
import dev.meld.node.tls.ClientTls;
import dev.meld.node.tls.DevCertificates;
import dev.meld.node.tls.TlsFiles;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client pipelining far more than {@link RespConfig#maxPipelinedCommands()} over a real socket,
 * plain and TLS, to a node that answers only when the test lets it: the connection stops reading,
 * holds no more than one read's requests, and once the node answers every command is run and
 * answered in order. The client's stream ends every read inside some request, which is what made
 * Netty's aggregators keep reading a connection whose {@code autoRead} was off.
 */
@ExtendWith(NoLeaks.class)
class SlowNodeBackpressureTest {
  private static final int LIMIT = 16;
  private static final int COMMANDS = 10_000;
  private static final byte[] REQUEST =
      RespTestChannel.command("INCR", "n").getBytes(StandardCharsets.ISO_8859_1);

  /**
   * Requests the connection may hold: one read of Netty's receive allocator (64 KiB at most), a TLS
   * record more, and the request each ends inside.
   */
  private static final int MAX_HELD = (64 * 1024 + 16 * 1024) / REQUEST.length + 2;

  @TempDir static Path certs;

  private final FakeGateway gateway = new FakeGateway();
  private final AtomicReference<Channel> accepted = new AtomicReference<>();
  private EventLoopGroup group;
  private Channel server;

  @BeforeAll
  static void makeCertificates() {
    new DevCertificates(Instant.now(), Duration.ofDays(1))
        .write(certs, List.of("n1"), List.of("127.0.0.1"));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** The client port's pipeline as RespServer builds it, keeping hold of the accepted channel. */
  private int start(SslContext tls) {
    boolean epoll = Epoll.isAvailable();
    group =
        new MultiThreadIoEventLoopGroup(
            1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    ServerContext context =
        new ServerContext(
            RespConfig.builder().maxPipelinedCommands(LIMIT).build(), gateway, RespMetrics.NOOP);
    RespChannelInitializer pipeline = new RespChannelInitializer(context, tls);
    server =
        new ServerBootstrap()
            .group(group)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    accepted.set(ch);
                    ch.pipeline().addLast(pipeline);
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .syncUninterruptibly()
            .channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Test
  void aClientOutrunningTheNodeIsHeldToOneReadAndLosesNothing() throws Exception {
    int port = start(null);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      pipelineAndCheck(socket, false);
    }
  }

  /**
   * Its last requests are still held when the end of its input is read: they run, and the
   * connection closes once every reply is written.
   */
  @Test
  void aClientThatShutsDownItsSideAfterSendingStillGetsEveryReply() throws Exception {
    int port = start(null);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      pipelineAndCheck(socket, true);
      assertThat(socket.getInputStream().read()).as("closed after the last reply").isEqualTo(-1);
    }
  }

  @Test
  void overTlsToo() throws Exception {
    TlsFiles files =
        new TlsFiles(
            certs.resolve("n1.pem"), certs.resolve("n1-key.pem"), null, TlsFiles.Flags.CLIENT);
    int port = start(ClientTls.serverContext(files, ClientTls.AuthClients.NO));
    Path ca = certs.resolve("ca.pem");
    try (SSLSocket socket =
        (SSLSocket)
            ClientSsl.context(ca, null, null)
                .getSocketFactory()
                .createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      pipelineAndCheck(socket, false);
    }
  }

  /** Pipelines {@link #COMMANDS} INCRs; with {@code halfClose}, then shuts down its side. */
  private void pipelineAndCheck(Socket socket, boolean halfClose) throws Exception {
    gateway.hold();
    socket.setSoTimeout(60_000);
    socket.setTcpNoDelay(true);
    AtomicLong written = new AtomicLong();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(() -> write(socket, written, halfClose));
    CompletableFuture<byte[]> replies = CompletableFuture.supplyAsync(() -> readReplies(socket));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (gateway.heldCount() < LIMIT && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(gateway.heldCount()).as("handed to the node").isEqualTo(LIMIT);
    // The client writes into the socket buffers for a while; look until it has stopped for 1 s.
    int maxHeld = 0;
    long lastWritten = -1;
    for (int look = 0, still = 0; look < 400 && still < 20; look++) {
      still = written.get() == lastWritten ? still + 1 : 0;
      lastWritten = written.get();
      Thread.sleep(50);
      maxHeld = Math.max(maxHeld, held());
    }
    assertThat(gateway.heldCount()).as("handed to the node, later").isEqualTo(LIMIT);
    // What the client wrote beyond them waits in the kernel's socket buffers, unread.
    assertThat(maxHeld).as("requests held by the paused connection").isBetween(1, MAX_HELD);

    // Answered on the connection's loop, as the replica thread's answers are handed back: each
    // answer hands the next held request on at once, until the connection has to read again.
    Channel ch = accepted.get();
    // Once it has seen the client's FIN, Netty's epoll transport reads the input to its end, what
    // the socket's receive buffer holds, whatever autoRead says.
    int maxHeldLater = halfClose ? COMMANDS : MAX_HELD;
    int[] completed = {0};
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int round = 0;
        round < 100_000 && completed[0] < COMMANDS && System.nanoTime() < deadline;
        round++) {
      int before = completed[0];
      ch.eventLoop()
          .submit(
              () -> {
                for (int handedOn; completed[0] < (handedOn = gateway.heldCount()); ) {
                  assertThat(handedOn - completed[0]).as("waiting").isLessThanOrEqualTo(LIMIT);
                  assertThat(connection(ch).heldRequests())
                      .as("held")
                      .isLessThanOrEqualTo(maxHeldLater);
                  gateway.complete(completed[0]++);
                }
              })
          .get(10, TimeUnit.SECONDS);
      if (completed[0] == before) {
        Thread.sleep(1);
      }
    }
    assertThat(completed[0]).as("commands answered within a minute").isEqualTo(COMMANDS);
    writer.get(30, TimeUnit.SECONDS);
    assertThat(new String(replies.get(30, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1))
        .isEqualTo(expectedReplies());
    assertThat(gateway.executed()).hasSize(COMMANDS);
  }

  /** The connection's held requests, read on its event loop. */
  private int held() throws Exception {
    Channel ch = accepted.get();
    return ch.eventLoop().submit(() -> connection(ch).heldRequests()).get(5, TimeUnit.SECONDS);
  }

  private static RespConnection connection(Channel ch) {
    return ch.pipeline().get(RespConnection.class);
  }

  private static void write(Socket socket, AtomicLong written, boolean halfClose) {
    byte[] chunk = new byte[16 * 1024];
    try {
      OutputStream out = socket.getOutputStream();
      long total = (long) COMMANDS * REQUEST.length;
      for (long sent = 0; sent < total; ) {
        int n = (int) Math.min(chunk.length, total - sent);
        for (int i = 0; i < n; i++) {
          chunk[i] = REQUEST[(int) ((sent + i) % REQUEST.length)];
        }
        out.write(chunk, 0, n);
        sent += n;
        written.set(sent);
      }
      out.flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
    } catch (java.io.IOException e) {
      throw new CompletionException(e);
    }
  }

  private static byte[] readReplies(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      return in.readNBytes(expectedReplies().length());
    } catch (java.io.IOException e) {
      throw new CompletionException(e);
    }
  }

  private static String expectedReplies() {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= COMMANDS; i++) {
      sb.append(':').append(i).append("\r\n");
    }
    return sb.toString();
  }
}
