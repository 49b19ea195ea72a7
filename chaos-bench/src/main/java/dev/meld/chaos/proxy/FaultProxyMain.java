package dev.meld.chaos.proxy;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs the fault proxy as a standalone process, the way {@code toxiproxy-server} runs: {@code java
 * -cp ... dev.meld.chaos.proxy.FaultProxyMain --port 8474}. It prints one line with the API URL and
 * the seed, then serves until the process is terminated.
 */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = "Runs Meld's fault proxy: a TCP proxy driven through the Toxiproxy HTTP API.")
public final class FaultProxyMain implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address the API listens on (default: ${DEFAULT-VALUE}).")
  private String host;

  @Option(
      names = "--port",
      defaultValue = "" + FaultProxyServer.DEFAULT_PORT,
      description = "Port the API listens on, 0 for any free port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--config",
      description = "JSON file of proxies to create at start, the body of POST /populate.")
  private Path config;

  @Option(
      names = "--seed",
      description = "Seed for toxicity rolls, jitter and slice sizes (default: random).")
  private Long seed;

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  public static void main(String[] args) {
    System.exit(new CommandLine(new FaultProxyMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port: " + port + " (expected: 0..65535)");
    }
    byte[] proxies = config == null ? null : readConfig();
    InetSocketAddress address = new InetSocketAddress(host, port);
    FaultProxyServer server;
    try {
      server =
          seed == null ? FaultProxyServer.start(address) : FaultProxyServer.start(address, seed);
    } catch (IOException e) {
      spec.commandLine().getErr().println("fault proxy: " + e.getMessage());
      return 1;
    }
    try {
      if (proxies != null) {
        server.populate(proxies);
      }
    } catch (IllegalArgumentException e) {
      server.close();
      throw new ParameterException(
          spec.commandLine(), "--config " + config + ": " + e.getMessage());
    }
    Thread hook = new Thread(this::stopAndWait, "fault-proxy-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = spec.commandLine().getOut();
    out.println("fault proxy API on " + server.apiUrl() + " (seed " + server.seed() + ")");
    out.flush();
    try {
      stopRequested.await();
    } finally {
      server.close();
      stopped.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook itself is what stopped us.
    }
    return 0;
  }

  /** Asks a running {@link #call()} to close the server and return. */
  public void stop() {
    stopRequested.countDown();
  }

  private void stopAndWait() {
    stop();
    try {
      stopped.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private byte[] readConfig() {
    try {
      return Files.readAllBytes(config);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "--config " + config + ": cannot read: " + e);
    }
  }
}
