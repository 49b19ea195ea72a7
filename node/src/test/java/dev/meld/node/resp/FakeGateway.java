package dev.meld.node.resp;

import dev.meld.crdt.Bytes;
import dev.meld.node.DrainStatus;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.command.Command;
import dev.meld.node.command.GlobPattern;
import dev.meld.node.command.Reply;
import dev.meld.node.server.CommandGateway;
import dev.meld.node.server.NodeInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A map-backed stand-in for the replica behind a {@link CommandGateway}, for the shell tests: one
 * type per key from its first write on, counters with overflow checks, sets, registers, a log
 * sequence per changing write. Commands run when handed in (so in order); their answers complete at
 * once, or, after {@link #hold()}, only when the test {@link #complete(int)}s them.
 */
final class FakeGateway implements CommandGateway {

  /** What one key holds. */
  private static final class Entry {
    final String type;
    Bytes register;
    long counter;
    boolean counted;
    final TreeSet<Bytes> set = new TreeSet<>();

    Entry(String type) {
      this.type = type;
    }

    boolean exists() {
      return register != null || !set.isEmpty() || counted;
    }
  }

  /** A call to {@link #waitForReplicas}. */
  record WaitCall(long localSeq, int replicas, long timeoutMillis) {}

  private final Map<Bytes, Entry> keys = new HashMap<>();
  private final List<Command> executed = new ArrayList<>();
  private final List<WaitCall> waits = new ArrayList<>();
  private final List<Reply> heldReplies = new ArrayList<>();
  private final List<CompletableFuture<Reply>> heldFutures = new ArrayList<>();
  private boolean holding;
  private long seq;
  private int acknowledgingPeers;
  private boolean draining;

  /** From now on, answers wait for {@link #complete(int)}. */
  synchronized void hold() {
    holding = true;
  }

  /** Completes the {@code index}th held answer (in hand-in order, counting from 0). */
  synchronized void complete(int index) {
    heldFutures.get(index).complete(heldReplies.get(index));
  }

  synchronized int heldCount() {
    return heldFutures.size();
  }

  /** How many peers {@code WAIT} reports. */
  synchronized void acknowledgingPeers(int n) {
    acknowledgingPeers = n;
  }

  /** Whether writes are refused with {@code READONLY}. */
  synchronized void draining(boolean v) {
    draining = v;
  }

  synchronized List<Command> executed() {
    return List.copyOf(executed);
  }

  synchronized List<Command> writes() {
    return executed.stream().filter(Command::isWrite).toList();
  }

  synchronized List<WaitCall> waits() {
    return List.copyOf(waits);
  }

  @Override
  public synchronized CompletableFuture<Reply> execute(Command command) {
    executed.add(command);
    Reply reply = run(command);
    if (!holding) {
      return CompletableFuture.completedFuture(reply);
    }
    CompletableFuture<Reply> f = new CompletableFuture<>();
    heldFutures.add(f);
    heldReplies.add(reply);
    return f;
  }

  @Override
  public synchronized CompletableFuture<Integer> waitForReplicas(
      long localSeq, int replicas, long timeoutMillis) {
    waits.add(new WaitCall(localSeq, replicas, timeoutMillis));
    return CompletableFuture.completedFuture(acknowledgingPeers);
  }

  @Override
  public synchronized ReplicaStatus status() {
    long live = keys.values().stream().filter(Entry::exists).count();
    return new ReplicaStatus(
        "n1",
        42,
        true,
        DrainStatus.NOT_DRAINING,
        live,
        keys.size(),
        "0123456789abcdef0123456789abcdef",
        7,
        3,
        seq,
        new ReplicaStatus.LogStatus(0, seq, seq * 10, 5, 6, 7, 0),
        List.of(
            new ReplicaStatus.PeerStatus("n2", 77, true, seq, 0, 0, 0, 1000, true),
            new ReplicaStatus.PeerStatus("n3", -1, false, -1, seq, seq * 10, 1500, -1, false)),
        new ReplicaStatus.AntiEntropyStatus(1, 2, 3, 0, 4, 500, 600, 7),
        List.of(
            new ReplicaStatus.MemberStatus("n1", "127.0.0.1:7001", ReplicaStatus.MemberState.SELF),
            new ReplicaStatus.MemberStatus("n2", "127.0.0.1:7002", ReplicaStatus.MemberState.LIVE),
            new ReplicaStatus.MemberStatus(
                "n3", "127.0.0.1:7003", ReplicaStatus.MemberState.UNREACHABLE)),
        ReplicaStatus.MembershipState.MEMBER,
        Map.of(),
        seq,
        Map.of("bad-frame", 2L),
        Map.of());
  }

  @Override
  public NodeInfo info() {
    return new NodeInfo(
        "n1",
        "meld",
        42,
        "0.1.0-test",
        System.currentTimeMillis() - 90_000,
        new InetSocketAddress("127.0.0.1", 6379),
        new InetSocketAddress("127.0.0.1", 7001),
        null);
  }

  private Reply run(Command c) {
    if (c.isWrite() && draining) {
      return new Reply.Error(Reply.Code.READONLY, "the node is draining");
    }
    if (c instanceof Command.Increment i) {
      return add(i.key(), i.amount(), false);
    }
    if (c instanceof Command.Decrement d) {
      return add(d.key(), d.amount(), true);
    }
    if (c instanceof Command.CounterGet g) {
      Entry e = typed(g.key(), "counter", false);
      return e == null ? wrongType() : Reply.Int.of(e.counter);
    }
    if (c instanceof Command.CounterReset r) {
      Entry e = typed(r.key(), "counter", false);
      return e == null ? wrongType() : new Reply.Int(reset(e), seq);
    }
    if (c instanceof Command.SetAdd a) {
      Entry e = typed(a.key(), "set", true);
      if (e == null) {
        return wrongType();
      }
      int added = 0;
      for (Bytes b : a.elements()) {
        added += e.set.add(b) ? 1 : 0;
      }
      return new Reply.Int(added, added > 0 ? ++seq : seq);
    }
    if (c instanceof Command.SetRemove r) {
      Entry e = typed(r.key(), "set", false);
      if (e == null) {
        return wrongType();
      }
      int removed = 0;
      for (Bytes b : r.elements()) {
        removed += e.set.remove(b) ? 1 : 0;
      }
      return new Reply.Int(removed, removed > 0 ? ++seq : seq);
    }
    if (c instanceof Command.SetMembers m) {
      Entry e = typed(m.key(), "set", false);
      return e == null ? wrongType() : new Reply.Elements(List.copyOf(e.set));
    }
    if (c instanceof Command.SetContains m) {
      Entry e = typed(m.key(), "set", false);
      return e == null ? wrongType() : Reply.Int.of(e.set.contains(m.element()) ? 1 : 0);
    }
    if (c instanceof Command.SetContainsEach m) {
      Entry e = typed(m.key(), "set", false);
      return e == null
          ? wrongType()
          : new Reply.Ints(m.elements().stream().map(x -> e.set.contains(x) ? 1L : 0L).toList());
    }
    if (c instanceof Command.SetScan m) {
      Entry e = typed(m.key(), "set", false);
      return e == null ? wrongType() : scan(e.set, m);
    }
    if (c instanceof Command.SetSize m) {
      Entry e = typed(m.key(), "set", false);
      return e == null ? wrongType() : Reply.Int.of(e.set.size());
    }
    if (c instanceof Command.RegisterSet s) {
      Entry e = typed(s.key(), "register", true);
      if (e == null) {
        return wrongType();
      }
      e.register = s.value();
      return new Reply.Ok(++seq);
    }
    if (c instanceof Command.RegisterGet g) {
      Entry e = typed(g.key(), "register", false);
      if (e == null) {
        return wrongType();
      }
      return e.register == null ? new Reply.Nil() : new Reply.Bulk(e.register);
    }
    if (c instanceof Command.TypeOf t) {
      Entry e = keys.get(t.key());
      return new Reply.TypeName(e == null || !e.exists() ? "none" : e.type);
    }
    if (c instanceof Command.Exists x) {
      Entry e = keys.get(x.key());
      return Reply.Int.of(e != null && e.exists() ? 1 : 0);
    }
    if (c instanceof Command.Delete d) {
      Entry e = keys.get(d.key());
      if (e == null || !e.exists()) {
        return new Reply.Int(0, seq);
      }
      reset(e);
      return new Reply.Int(1, seq);
    }
    if (c instanceof Command.KeyCount) {
      return Reply.Int.of(keys.values().stream().filter(Entry::exists).count());
    }
    throw new IllegalArgumentException("command: " + c + " (expected: one the fake knows)");
  }

  /**
   * The replica's scan contract with a stand-in hash: members in the order of a 63-bit hash, the
   * cursor the next unexamined member's hash + 1 (0 to start, 0 when done).
   */
  private static Reply scan(TreeSet<Bytes> set, Command.SetScan m) {
    long from = m.cursor() == 0 ? 0 : m.cursor() - 1;
    List<Bytes> order =
        set.stream()
            .filter(x -> Long.compareUnsigned(hash63(x), from) >= 0)
            .sorted(Comparator.comparingLong(FakeGateway::hash63))
            .toList();
    GlobPattern pattern = m.match() == null ? null : GlobPattern.compile(m.match());
    List<Bytes> found = new ArrayList<>();
    int examined = Math.min(m.count(), order.size());
    for (Bytes x : order.subList(0, examined)) {
      if (pattern == null || pattern.matches(x)) {
        found.add(x);
      }
    }
    long next = examined == order.size() ? 0 : hash63(order.get(examined)) + 1;
    return new Reply.Scan(next, found);
  }

  /** FNV-1a, top bit dropped. */
  static long hash63(Bytes x) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < x.length(); i++) {
      h = (h ^ (x.byteAt(i) & 0xff)) * 0x100000001b3L;
    }
    return h >>> 1;
  }

  private Reply add(Bytes key, long amount, boolean subtract) {
    Entry e = typed(key, "counter", true);
    if (e == null) {
      return wrongType();
    }
    try {
      long next =
          subtract ? Math.subtractExact(e.counter, amount) : Math.addExact(e.counter, amount);
      if (next != e.counter || !e.counted) {
        seq++;
      }
      e.counter = next;
      e.counted = true;
      return new Reply.Int(next, seq);
    } catch (ArithmeticException overflow) {
      return new Reply.Error(Reply.Code.OVERFLOW, "counter would overflow");
    }
  }

  private long reset(Entry e) {
    long before = e.counter;
    e.counter = 0;
    e.counted = false;
    e.register = null;
    e.set.clear();
    seq++;
    return before;
  }

  /** The key's entry if absent-or-of-{@code type} (created when {@code create}), else null. */
  private Entry typed(Bytes key, String type, boolean create) {
    Entry e = keys.get(key);
    if (e == null) {
      e = new Entry(type);
      if (create) {
        keys.put(key, e);
      }
      return e;
    }
    return e.type.equals(type) ? e : null;
  }

  private static Reply wrongType() {
    return new Reply.Error(Reply.Code.WRONGTYPE, "the key holds another type");
  }
}
