package dev.meld.node.resp;

import static dev.meld.node.resp.ArgDoc.key;
import static dev.meld.node.resp.ArgDoc.string;
import static dev.meld.node.resp.CommandSpec.command;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Redis' set commands over Meld's add-wins observed-remove sets: {@code SADD}, {@code SREM}, {@code
 * SMEMBERS}, {@code SISMEMBER}, {@code SCARD}. {@code SMEMBERS} lists the members in unsigned byte
 * order (Redis promises no order), as a RESP3 set after {@code HELLO 3}.
 */
final class SetCommands {

  private SetCommands() {}

  static List<CommandSpec> specs() {
    return List.of(
        command("sadd", -3)
            .flags("write", "denyoom", "fast")
            .keys(1, 1, 1)
            .doc("set", "1.0.0", "O(1) for each member", "Add members to the set at a key")
            .args(key("key"), string("member").multiple())
            .handler((c, a) -> run(c, new Command.SetAdd(a.key(1), a.bytesFrom(2))))
            .build(),
        command("srem", -3)
            .flags("write", "fast")
            .keys(1, 1, 1)
            .doc(
                "set",
                "1.0.0",
                "O(N) where N is the number of members",
                "Remove the observed members from the set at a key")
            .args(key("key"), string("member").multiple())
            .handler((c, a) -> run(c, new Command.SetRemove(a.key(1), a.bytesFrom(2))))
            .build(),
        command("smembers", 2)
            .flags("readonly")
            .keys(1, 1, 1)
            .doc("set", "1.0.0", "O(N) where N is the set cardinality", "Get the members of a set")
            .args(key("key"))
            .handler((c, a) -> run(c, new Command.SetMembers(a.key(1))))
            .build(),
        command("sismember", 3)
            .flags("readonly", "fast")
            .keys(1, 1, 1)
            .doc("set", "1.0.0", "O(1)", "Whether a member is in the set at a key")
            .args(key("key"), string("member"))
            .handler((c, a) -> run(c, new Command.SetContains(a.key(1), Bytes.of(a.bytes(2)))))
            .build(),
        command("scard", 2)
            .flags("readonly", "fast")
            .keys(1, 1, 1)
            .doc("set", "1.0.0", "O(1)", "Get the number of members of a set")
            .args(key("key"))
            .handler((c, a) -> run(c, new Command.SetSize(a.key(1))))
            .build());
  }

  private static CompletableFuture<RespValue> run(Client client, Command command) {
    return client.execute(command).thenApply(Replies::toResp);
  }
}
