package dev.meld.node.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Netty's leak detector, made to keep what it finds so that {@link NoLeaks} can fail the test that
 * leaked. Netty creates it because node's surefire configuration names it in {@code
 * io.netty.customResourceLeakDetector}, with detection at the paranoid level (every buffer
 * tracked).
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

  private static final ConcurrentLinkedQueue<String> FOUND = new ConcurrentLinkedQueue<>();
  public static volatile boolean created;

  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
    created = true;
  }

  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    FOUND.add(resourceType + " leaked:" + records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    FOUND.add(resourceType + " leaked (no access records)");
  }

  /** Every leak reported since the last call. */
  public static List<String> drain() {
    List<String> out = new ArrayList<>();
    for (String leak = FOUND.poll(); leak != null; leak = FOUND.poll()) {
      out.add(leak);
    }
    return out;
  }
}
