package dev.meld.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meld.antientropy.CodedSymbols;
import dev.meld.antientropy.KeyHashing;
import dev.meld.antientropy.MemberView;
import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.store.MemoryRecordStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The coded symbols kept for a large set ({@link MemberSymbols}) follow its writes: after adds,
 * removes and re-adds through the write path they equal symbols built from a scan of the set as
 * stored, without a second scan.
 */
class MemberSymbolsTest {

  private static final Bytes SET = Bytes.utf8("big");
  private static final byte[] KEY = SET.toByteArray();

  private static CodedSymbols scanned(MemberView members, int size) {
    CodedSymbols symbols = new CodedSymbols(size);
    members.entries(
        0,
        -1L,
        (member, hash, digest) -> {
          symbols.add(hash, digest);
          return true;
        });
    return symbols;
  }

  private static void run(Replica replica, List<Command> commands) {
    replica.executeAll(commands, (to, m) -> {});
  }

  @Test
  void keptSymbolsFollowTheWritePathAndEqualAScan() {
    Replica replica =
        BigSets.replicaHolding(MemoryRecordStore.create(KeyHashing::keyHash64), 5_000);
    StoreKeyspace keyspace = replica.keyspace();
    assertThat(keyspace.members(KEY).symbols(512)).isEqualTo(scanned(keyspace.members(KEY), 512));
    int scans = keyspace.memberSymbols().scans();

    List<Command> changes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      changes.add(new Command.SetRemove(SET, Bytes.utf8("member-" + i)));
      changes.add(new Command.SetAdd(SET, Bytes.utf8("member-" + (10_000 + i))));
    }
    changes.add(new Command.SetAdd(SET, Bytes.utf8("member-3"))); // re-added: new dots
    changes.add(new Command.SetAdd(SET, Bytes.utf8("member-100"))); // added again: dots change
    run(replica, changes);

    MemberView members = keyspace.members(KEY);
    assertThat(members.symbols(512)).isEqualTo(scanned(members, 512));
    assertThat(members.symbols(64)).isEqualTo(scanned(members, 64));
    assertThat(keyspace.memberSymbols().scans()).as("kept, not rescanned").isEqualTo(scans);
  }
}
