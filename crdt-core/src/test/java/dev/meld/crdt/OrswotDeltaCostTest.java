package dev.meld.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Applying a one-element delta to a 100,000-element set neither copies nor scans it. Not a timing
 * test: it reads the number of dots the merge looked at ({@code Orswot.lastMergeWork}) and, where
 * the JVM can tell, the bytes the merge allocated (a copy of the set would allocate megabytes).
 */
class OrswotDeltaCostTest {
  private static final int SIZE = 100_000;
  private static final ReplicaId A = ReplicaId.of("a");
  private static final ReplicaId B = ReplicaId.of("b");

  private static Orswot<Bytes> big;
  private static Orswot<Bytes> peer;

  @BeforeAll
  static void fill() {
    big = Orswot.ofBytes();
    for (int i = 0; i < SIZE; i++) {
      big.add(A, element(i));
    }
    peer = big.copy();
  }

  @Test
  void applyingARemoveDeltaLooksAtOneDot() {
    big.mergeFrom(peer.remove(element(SIZE / 2 + 1))); // warm-up: loads classes, JITs nothing much
    Orswot<Bytes> delta = peer.remove(element(SIZE / 2));
    assertThat(delta.context().cloud()).hasSize(1);

    int before = big.size();

    long allocated = allocatedBy(() -> big.mergeFrom(delta));

    assertThat(big.lastMergeWork).isEqualTo(1);
    assertThat(big.contains(element(SIZE / 2))).isFalse();
    assertThat(big.size()).isEqualTo(before - 1);
    assertSmall(allocated);
  }

  @Test
  void applyingAnAddDeltaFromAnotherReplicaLooksAtItsOwnDotsOnly() {
    big.mergeFrom(peer.add(B, element(SIZE + 2))); // warm-up
    Orswot<Bytes> delta = peer.add(B, element(SIZE + 1));

    long allocated = allocatedBy(() -> big.mergeFrom(delta));

    assertThat(big.lastMergeWork).isLessThanOrEqualTo(2);
    assertThat(big.contains(element(SIZE + 1))).isTrue();
    assertSmall(allocated);
  }

  @Test
  void applyingAReAddDeltaLooksAtTheReplacedAndNewDotsOnly() {
    Orswot<Bytes> delta = peer.add(B, element(7));

    big.mergeFrom(delta);

    assertThat(big.lastMergeWork).isLessThanOrEqualTo(3);
    assertThat(big.contains(element(7))).isTrue();
  }

  /** The probe does count a scan: a full-state merge looks at every covered dot. */
  @Test
  void aFullStateMergeLooksAtTheWholeSet() {
    Orswot<Bytes> copy = big.copy();
    copy.mergeFrom(peer);
    assertThat(copy.lastMergeWork).isGreaterThanOrEqualTo(SIZE - 3);
  }

  private static Bytes element(int i) {
    return Bytes.utf8("element-" + i);
  }

  private static void assertSmall(long allocated) {
    if (allocated >= 0) {
      assertThat(allocated).as("bytes allocated by the merge").isLessThan(64 * 1024);
    }
  }

  /** Bytes the current thread allocated while running {@code work}, or -1 if unknown. */
  private static long allocatedBy(Runnable work) {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
        || !threads.isThreadAllocatedMemorySupported()
        || !threads.isThreadAllocatedMemoryEnabled()) {
      work.run();
      return -1;
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    work.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }
}
