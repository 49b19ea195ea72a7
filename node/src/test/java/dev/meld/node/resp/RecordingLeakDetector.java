package dev.meld.node.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Netty's leak detector, keeping every leak it finds instead of logging it, so that {@link NoLeaks}
 * can fail a test class on it with the leak's access records. Installed for the node's tests
 * through the system property {@code io.netty.customResourceLeakDetector} (see the surefire
 * configuration in {@code node/pom.xml}), where leak detection runs at the paranoid level.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

  private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
  private static volatile boolean installed;

  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
    installed = true;
  }

  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.add(resourceType + " leaked:" + records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.add(resourceType + " leaked (no records)");
  }

  /** Whether Netty is using this detector (the system property took effect). */
  static boolean installed() {
    ByteBufAllocator.DEFAULT.buffer(1).release(); // makes sure the buffer detector exists
    return installed;
  }

  /**
   * Collects garbage, lets the detector look at what was collected, and returns (and forgets) every
   * leak reported so far.
   */
  static List<String> collectLeaks() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      // The detector polls its reference queue when it tracks a new buffer.
      for (int i = 0; i < 8; i++) {
        ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(8);
        probe.release();
      }
    }
    List<String> leaks = new ArrayList<>();
    for (String leak; (leak = LEAKS.poll()) != null; ) {
      leaks.add(leak);
    }
    return leaks;
  }
}
