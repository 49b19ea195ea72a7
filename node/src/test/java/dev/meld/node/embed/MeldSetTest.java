package dev.meld.node.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meld.crdt.Bytes;
import dev.meld.node.ReplicaStatus;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import dev.meld.node.server.CommandGateway;
import dev.meld.node.server.NodeInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What {@link MeldSet}'s {@code containsEach} and {@code scan} send and how they read the replies,
 * against a gateway that records the commands and gives the replies a test lines up.
 */
class MeldSetTest {

  /** Records what it is handed; answers each command with the next lined-up reply. */
  private static final class Recording implements CommandGateway {
    final List<Command> commands = new ArrayList<>();
    final Queue<Reply> replies = new ArrayDeque<>();

    @Override
    public synchronized CompletableFuture<Reply> execute(Command command) {
      commands.add(command);
      return CompletableFuture.completedFuture(replies.remove());
    }

    @Override
    public CompletableFuture<Integer> waitForReplicas(long seq, int replicas, long timeoutMillis) {
      throw new AssertionError("not used by MeldSet");
    }

    @Override
    public ReplicaStatus status() {
      throw new AssertionError("not used by MeldSet");
    }

    @Override
    public NodeInfo info() {
      throw new AssertionError("not used by MeldSet");
    }
  }

  private final Recording gateway = new Recording();
  private final MeldSet set = new MeldSet("tags", gateway);

  private static List<Bytes> utf8(String... s) {
    return List.of(s).stream().map(Bytes::utf8).toList();
  }

  @Test
  void containsEachAsksForEveryElementInOrder() throws Exception {
    gateway.replies.add(new Reply.Ints(List.of(1L, 0L, 1L)));
    assertThat(set.containsEach("a", "é", "a")).containsExactly(true, false, true);
    gateway.replies.add(new Reply.Ints(List.of(0L)));
    assertThat(set.containsEachAsync("z").get()).containsExactly(false);
    assertThat(gateway.commands)
        .containsExactly(
            new Command.SetContainsEach(Bytes.utf8("tags"), utf8("a", "é", "a")),
            new Command.SetContainsEach(Bytes.utf8("tags"), utf8("z")));
  }

  @Test
  void scanPagesCarryTheCursorAndTheElements() throws Exception {
    gateway.replies.add(new Reply.Scan(Long.MIN_VALUE, utf8("x", "y")));
    MeldSet.Page first = set.scan(0, 10, null);
    assertThat(first).isEqualTo(new MeldSet.Page(Long.MIN_VALUE, List.of("x", "y")));
    assertThat(first.isLast()).isFalse();
    gateway.replies.add(new Reply.Scan(0, utf8("z")));
    MeldSet.Page last = set.scanAsync(first.cursor(), 3, "z*").get();
    assertThat(last.elements()).containsExactly("z");
    assertThat(last.isLast()).isTrue();
    assertThat(gateway.commands)
        .containsExactly(
            new Command.SetScan(Bytes.utf8("tags"), 0, 10, null),
            new Command.SetScan(Bytes.utf8("tags"), Long.MIN_VALUE, 3, Bytes.utf8("z*")));
  }

  @Test
  void refusalsBecomeMeldExceptions() {
    gateway.replies.add(new Reply.Error(Reply.Code.WRONGTYPE, "the key holds another type"));
    assertThatThrownBy(() -> set.scan(0, 10, null))
        .isInstanceOf(MeldException.class)
        .hasMessageContaining("the key holds another type");
    gateway.replies.add(new Reply.Error(Reply.Code.WRONGTYPE, "the key holds another type"));
    assertThatThrownBy(() -> set.containsEach("a")).isInstanceOf(MeldException.class);
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> set.containsEach())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("elements: 0 (expected: >= 1)");
    assertThatThrownBy(() -> set.scan(0, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count: 0 (expected: >= 1)");
    assertThatThrownBy(() -> set.scanAsync(0, 10, "é".repeat(513)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("match: 1026 bytes (expected: <= 1024)");
    assertThat(gateway.commands).isEmpty();
  }
}
