package dev.meld.node;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.ElementStream;
import dev.meld.node.store.PieceView;
import java.util.Arrays;
import java.util.NavigableMap;
import java.util.function.Consumer;

/**
 * The members of a set kept in pieces at one moment ({@link PiecedSet#openMembers}), in the order of
 * their 63-bit hashes: the store's pieces as a {@link PieceView} saw them when the stream opened,
 * under the changes the open batch had staged by then. Each chunk resumes after the last piece
 * handed, so a chunk costs what it returns, not what came before it.
 */
final class SetMemberStream implements ElementStream {

  private final PieceView stored; // null: nothing stored counts (the batch replaced the set)
  private final NavigableMap<byte[], byte[]> staged;
  private final long count;
  private final byte[] end = SetPieces.membersEnd();
  private byte[] from = SetPieces.membersFrom(0);
  private long handed;
  private boolean ended;
  private boolean closed;

  SetMemberStream(PieceView stored, NavigableMap<byte[], byte[]> staged, long count) {
    this.stored = stored;
    this.staged = staged;
    this.count = count;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public boolean next(int max, Consumer<Bytes> sink) {
    if (max < 1) {
      throw new IllegalArgumentException("max: " + max + " (expected: >= 1)");
    }
    if (closed) {
      throw new IllegalStateException("member stream is closed");
    }
    if (ended) {
      return false;
    }
    int[] n = {0};
    byte[][] last = {null};
    boolean[] more = {false};
    PiecedSet.overlaid(
        stored == null ? null : stored::scan,
        staged,
        from,
        end,
        (piece, value) -> {
          if (n[0] == max) {
            more[0] = true;
            return false;
          }
          if (handed + n[0] == count) {
            throw new IllegalStateException(
                "the set holds more members than its header counts (" + count + ")");
          }
          sink.accept(SetPieces.memberElement(piece));
          n[0]++;
          last[0] = piece;
          return true;
        });
    handed += n[0];
    if (last[0] != null) {
      from = Arrays.copyOf(last[0], last[0].length + 1); // the next key after it
    }
    if (!more[0]) {
      ended = true;
      if (handed != count) {
        throw new IllegalStateException(
            "the set holds " + handed + " members, its header counts " + count);
      }
    }
    return more[0];
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (stored != null) {
        stored.close();
      }
    }
  }
}
