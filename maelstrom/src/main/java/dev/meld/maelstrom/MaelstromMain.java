package dev.meld.maelstrom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meld.hlc.PhysicalClock;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stdin/stdout shell of a {@link MaelstromNode}: one JSON message per line in, one per line
 * out, logs on stderr only. A reader thread parses lines into a queue; the main thread takes them
 * and runs the replica's timers between them, so the replica sees one thread. The process ends
 * when stdin closes.
 *
 * <p>Usage: {@code meld-maelstrom [--workload g-counter|pn-counter|g-set|broadcast]}. Without
 * {@code --workload} the node learns it from the first request that names it.
 */
public final class MaelstromMain {

  private static final Logger LOG = LoggerFactory.getLogger(MaelstromMain.class);

  /** The longest line read from stdin (Maelstrom messages of these workloads are small). */
  static final int MAX_LINE_CHARS = 64 << 20;

  private static final Object END = new Object();

  private MaelstromMain() {}

  public static void main(String[] args) throws InterruptedException {
    Workload workload = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--workload") && i + 1 < args.length) {
        workload = Workload.named(args[++i]);
      } else {
        System.err.println(
            "meld-maelstrom: argument \"" + args[i] + "\" (expected: [--workload NAME])");
        System.exit(2);
      }
    }
    ObjectMapper json = new ObjectMapper();
    BufferedWriter stdout =
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    MaelstromNode node =
        new MaelstromNode(
            json,
            PhysicalClock.system(),
            new SplittableRandom(new SecureRandom().nextLong()),
            workload,
            message -> {
              try {
                stdout.write(json.writeValueAsString(message));
                stdout.write('\n');
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> readLines(json, inbox), "stdin");
    reader.setDaemon(true);
    reader.start();
    long nextTick = System.nanoTime();
    while (true) {
      long wait = Math.max(0, nextTick - System.nanoTime());
      Object next = inbox.poll(wait, TimeUnit.NANOSECONDS);
      if (next == END) {
        break;
      }
      if (next != null) {
        node.handle((JsonNode) next);
      }
      if (System.nanoTime() - nextTick >= 0) {
        node.tick();
        nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MaelstromNode.TICK_MILLIS);
      }
      try {
        stdout.flush();
      } catch (IOException e) {
        LOG.error("stdout closed; exiting", e);
        break;
      }
    }
  }

  private static void readLines(ObjectMapper json, BlockingQueue<Object> inbox) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.length() > MAX_LINE_CHARS) {
          LOG.warn("line of {} chars dropped (expected: <= {})", line.length(), MAX_LINE_CHARS);
          continue;
        }
        if (line.isBlank()) {
          continue;
        }
        try {
          inbox.add(json.readTree(line));
        } catch (JsonProcessingException e) {
          LOG.warn("line is not JSON, dropped: {}", e.getOriginalMessage());
        }
      }
    } catch (IOException e) {
      LOG.error("stdin failed", e);
    } finally {
      inbox.add(END);
    }
  }
}
