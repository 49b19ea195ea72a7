package dev.meld.node.store;

import dev.meld.node.identity.Identity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;

/**
 * The child process of {@link RocksKillTest}: opens a store, takes its identity, then commits
 * batches (a record, a log entry and a cursor each) and prints {@code acked <seq>} after each
 * commit returns. Arguments: directory, mode ({@code clean}: stop after {@code count} batches and
 * close; {@code run}: keep going until killed, giving up after {@code count} batches or 30 s).
 */
public final class KillChild {

  static final String NODE = "node-1";
  static final Origin PEER = new Origin("peer", 1);
  private static final long GIVE_UP_NANOS = 30_000_000_000L;

  private KillChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    boolean clean = args[1].equals("clean");
    int count = Integer.parseInt(args[2]);
    RocksRecordStore store =
        RocksRecordStore.open(dir, TestHashes.MIXED, RocksStoreOptions.DEFAULTS);
    Identity identity = Identity.open(store, NODE, InstantSource.system(), new SecureRandom());
    say("identity " + Long.toHexString(identity.incarnation()) + " " + identity.reason());
    Origin self = identity.origin();
    long start = System.nanoTime();
    long seq = store.logBounds(self).head();
    for (int i = 0; i < count && System.nanoTime() - start < GIVE_UP_NANOS; i++) {
      seq++;
      store.commit(
          store
              .newBatch()
              .put(key(self, seq), payload(seq))
              .appendLog(self, seq, payload(seq))
              .setCursor(PEER, seq));
      say("acked " + seq);
    }
    if (clean) {
      store.close();
      say("closed");
    } else {
      System.exit(3); // not killed in time: the parent fails the test
    }
  }

  static byte[] key(Origin origin, long seq) {
    return (origin + "/" + seq).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] payload(long seq) {
    return ("payload-" + seq + "-" + "x".repeat((int) (seq % 97))).getBytes(StandardCharsets.UTF_8);
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
