package dev.meld.chaos.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills every registered child process when the JVM exits (a shutdown hook), so that a bench that
 * crashes or is interrupted leaves no node running. A process closed normally is unregistered.
 */
final class Reaper {

  private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Reaper::killAll, "meld-chaos-reaper"));
  }

  private Reaper() {}

  static void register(Process process) {
    CHILDREN.add(process);
  }

  static void unregister(Process process) {
    CHILDREN.remove(process);
  }

  /** The registered processes still alive. */
  static long alive() {
    return CHILDREN.stream().filter(Process::isAlive).count();
  }

  private static void killAll() {
    for (Process process : CHILDREN) {
      // SIGKILL also ends a stopped (SIGSTOPped) process.
      process.destroyForcibly();
    }
  }
}
