package dev.meld.antientropy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void smoke() {
    for (int n : new int[] {0, 1, 10, 100, 1000, 10000, 100000}) {
      for (int d : new int[] {0, 1, 10, 100}) {
        SplittableRandom rnd = new SplittableRandom(n * 31L + d);
        InMemoryKeyspace a = new InMemoryKeyspace(ByteSetLattice::merge);
        for (int i = 0; i < n; i++) {
          a.merge(("key-" + i).getBytes(StandardCharsets.UTF_8), ByteSetLattice.random(rnd, 8));
        }
        InMemoryKeyspace b = a.copy();
        for (int i = 0; i < d; i++) {
          byte[] k = ("diff-" + i).getBytes(StandardCharsets.UTF_8);
          (i % 2 == 0 ? a : b).merge(k, ByteSetLattice.random(rnd, 8));
        }
        long t0 = System.nanoTime();
        SessionDriver.Outcome o = SessionDriver.sync(a, b, rnd.nextLong(), SyncConfig.DEFAULT);
        long t1 = System.nanoTime();
        SessionDriver.Outcome o2 = SessionDriver.sync(a, b, rnd.nextLong(), SyncConfig.DEFAULT);
        System.out.printf("n=%d d=%d bytes=%d msgs=%d rec=%d/%d  %.1fms | second bytes=%d msgs=%d %s%n", n, d, o.bytes(), o.messages(),
            o.initiator().recordsSent(), o.responder().recordsSent(), (t1 - t0) / 1e6, o2.bytes(), o2.messages(), o.initiator().reason());
        assertThat(o.completed()).isTrue();
        assertThat(a.records()).isEqualTo(b.records());
        assertThat(o2.messages()).isEqualTo(2);
      }
    }
  }
}
