package dev.meld.chaos.cluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A RESP server for client tests: answers each command with the raw reply scripted for its name
 * ({@code CLIENT} always {@code +OK}); a command scripted with {@code null}, or not scripted at
 * all, gets no answer (a timeout for the client). One connection at a time.
 */
final class FakeRespServer implements AutoCloseable {

  final Map<String, String> replies = new ConcurrentHashMap<>();
  final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final Thread thread;

  FakeRespServer() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    thread = new Thread(this::serve, "fake-resp");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        for (List<String> command; (command = read(in)) != null; ) {
          String name = command.get(0).toUpperCase(java.util.Locale.ROOT);
          received.add(String.join(" ", command));
          String reply = name.equals("CLIENT") ? "+OK\r\n" : replies.get(name);
          if (reply != null) {
            out.write(reply.getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
        }
      } catch (IOException e) {
        // closed by the client or the test
      }
    }
  }

  private static List<String> read(InputStream in) throws IOException {
    String header = line(in);
    if (header == null) {
      return null;
    }
    int count = Integer.parseInt(header.substring(1));
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int length = Integer.parseInt(line(in).substring(1));
      parts.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
      line(in);
    }
    return parts;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c; (c = in.read()) != -1; ) {
      if (c == '\n') {
        return sb.toString().stripTrailing();
      }
      sb.append((char) c);
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
