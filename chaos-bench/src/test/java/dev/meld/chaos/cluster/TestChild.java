package dev.meld.chaos.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A tiny child JVM standing in for a node in the supervisor tests. Every 20 ms it rewrites its
 * heartbeat file with "beats wallClockMillis", so a test can see it stop (SIGSTOP), go on (SIGCONT)
 * and read its wall clock (libfaketime). On SIGTERM it logs a drain line and exits 0, as a node
 * does.
 *
 * <p>Usage: {@code TestChild HEARTBEAT_FILE}
 */
public final class TestChild {

  private TestChild() {}

  public static void main(String[] args) throws Exception {
    Path heartbeat = Path.of(args[0]);
    Path temp = heartbeat.resolveSibling(heartbeat.getFileName() + ".tmp");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("test child: drain completed");
                  System.out.flush();
                  // A JVM ended by SIGTERM exits 143; a node that drained exits 0, so it halts.
                  Runtime.getRuntime().halt(0);
                }));
    System.out.println("test child started");
    for (long beats = 1; beats < 30_000; beats++) { // bounded: at most ~10 minutes
      Files.writeString(temp, beats + " " + System.currentTimeMillis());
      Files.move(
          temp, heartbeat, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Thread.sleep(20);
    }
  }
}
