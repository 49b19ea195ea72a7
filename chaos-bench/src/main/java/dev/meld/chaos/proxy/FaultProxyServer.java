package dev.meld.chaos.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Meld's fault proxy: a TCP proxy server driven through the Toxiproxy HTTP API, so that the
 * Toxiproxy Java client (or {@code curl}) configures it exactly as it would a real Toxiproxy.
 *
 * <pre>{@code
 * try (FaultProxyServer server = FaultProxyServer.start(new InetSocketAddress("127.0.0.1", 0))) {
 *   ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", server.apiAddress().getPort());
 *   Proxy link = client.createProxy("n1->n2", "127.0.0.1:0", "127.0.0.1:7001");
 *   link.toxics().latency("slow", ToxicDirection.UPSTREAM, 100);
 * }
 * }</pre>
 *
 * <p>See {@code chaos-bench/PROXY.md} for what is supported and how it differs from Toxiproxy.
 */
public final class FaultProxyServer implements AutoCloseable {

  /** Toxiproxy's API port. */
  public static final int DEFAULT_PORT = 8474;

  /** Largest request body the API accepts. */
  static final int MAX_REQUEST_BYTES = 1 << 20;

  private final long seed;
  private final ProxyEngine engine;
  private final ProxyRegistry registry;
  private final ExecutorService apiThread;
  private final Channel apiChannel;
  private final AtomicBoolean closed = new AtomicBoolean();

  private FaultProxyServer(
      long seed,
      ProxyEngine engine,
      ExecutorService apiThread,
      Channel apiChannel,
      ProxyRegistry registry) {
    this.seed = seed;
    this.engine = engine;
    this.apiThread = apiThread;
    this.apiChannel = apiChannel;
    this.registry = registry;
  }

  /** Starts a server on Toxiproxy's default API address, {@code 127.0.0.1:8474}. */
  public static FaultProxyServer start() throws IOException {
    return start(new InetSocketAddress("127.0.0.1", DEFAULT_PORT));
  }

  /** Starts a server with a random seed; see {@link #start(InetSocketAddress, long)}. */
  public static FaultProxyServer start(InetSocketAddress apiAddress) throws IOException {
    return start(apiAddress, new SecureRandom().nextLong());
  }

  /**
   * Starts a server whose API listens on {@code apiAddress} (port 0 picks a free port; {@link
   * #apiAddress()} tells which).
   *
   * @param seed seeds toxicity rolls, jitter and slice sizes, so a run can be repeated
   * @throws IOException if the API address cannot be bound
   */
  public static FaultProxyServer start(InetSocketAddress apiAddress, long seed) throws IOException {
    ProxyEngine engine =
        new ProxyEngine(seed, Math.min(4, Runtime.getRuntime().availableProcessors()));
    ExecutorService apiThread =
        Executors.newSingleThreadExecutor(new DefaultThreadFactory("fault-proxy-api", true));
    ProxyRegistry registry = new ProxyRegistry(engine);
    ToxiproxyApi api = new ToxiproxyApi(registry);
    ChannelFuture bound =
        new ServerBootstrap()
            .group(engine.acceptors(), engine.workers())
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    engine.track(channel);
                    channel
                        .pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                        .addLast(new ApiHttpHandler(api, apiThread));
                  }
                })
            .bind(apiAddress)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      apiThread.shutdown();
      engine.close();
      throw new IOException(
          "cannot listen on " + apiAddress + ": " + bound.cause().getMessage(), bound.cause());
    }
    return new FaultProxyServer(seed, engine, apiThread, bound.channel(), registry);
  }

  /** Where the API listens (with the real port if 0 was asked for). */
  public InetSocketAddress apiAddress() {
    return (InetSocketAddress) apiChannel.localAddress();
  }

  /** The API's base URL, e.g. {@code http://127.0.0.1:8474}. */
  public String apiUrl() {
    return "http://" + HostPort.format(apiAddress());
  }

  /** The seed of this server's random choices. */
  public long seed() {
    return seed;
  }

  /**
   * Creates proxies from a JSON list, as {@code POST /populate} and Toxiproxy's {@code -config}
   * file do: {@code [{"name": ..., "listen": ..., "upstream": ..., "enabled": ...}, ...]}.
   *
   * @throws IllegalArgumentException with the API's error message if the list is invalid or a proxy
   *     cannot listen
   */
  public void populate(byte[] json) {
    try {
      registry.populate(Json.parse(json));
    } catch (ApiException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Stops the API, closes every proxy and its connections, and stops the threads. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    apiChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    apiThread.execute(registry::stopAll);
    apiThread.shutdown();
    try {
      if (!apiThread.awaitTermination(10, TimeUnit.SECONDS)) {
        apiThread.shutdownNow();
      }
    } catch (InterruptedException e) {
      apiThread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    engine.close();
  }
}
