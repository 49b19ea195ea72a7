package dev.meld.node.resp;

import static dev.meld.node.resp.ArgDoc.key;
import static dev.meld.node.resp.CommandSpec.command;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Redis' commands for keys of any type: {@code TYPE}, {@code EXISTS}, {@code DEL}.
 *
 * <p>{@code TYPE} answers in Redis' names: a register or a counter is a {@code string}, a set a
 * {@code set}. {@code DEL} is each type's observed removal (register tombstone, counter reset, set
 * clear); the key keeps its type. With several keys, each key is its own command to the replica,
 * handed over back to back: {@code DEL a b} is not atomic, but no later command of the connection
 * runs between them.
 */
final class KeyCommands {

  private KeyCommands() {}

  static List<CommandSpec> specs() {
    return List.of(
        command("type", 2)
            .flags("readonly", "fast")
            .keys(1, 1, 1)
            .doc("generic", "1.0.0", "O(1)", "Determine the type stored at a key")
            .args(key("key"))
            .handler(KeyCommands::type)
            .build(),
        command("exists", -2)
            .flags("readonly", "fast")
            .keys(1, -1, 1)
            .doc(
                "generic",
                "1.0.0",
                "O(N) where N is the number of keys",
                "Count how many of the keys exist")
            .args(key("key").multiple())
            .handler((c, a) -> sum(c, a.bytesFrom(1), Command.Exists::new))
            .build(),
        command("del", -2)
            .flags("write")
            .keys(1, -1, 1)
            .doc(
                "generic",
                "1.0.0",
                "O(N) where N is the number of keys",
                "Remove keys (each type's observed removal); count those that existed")
            .args(key("key").multiple())
            .handler((c, a) -> sum(c, a.bytesFrom(1), Command.Delete::new))
            .build());
  }

  private static CompletableFuture<RespValue> type(Client client, Args args) {
    return client
        .execute(new Command.TypeOf(args.key(1)))
        .thenApply(
            reply -> {
              if (reply instanceof Reply.TypeName t) {
                return new RespValue.Simple(redisType(t.name()));
              }
              return Replies.toResp(reply);
            });
  }

  private static String redisType(String meldType) {
    switch (meldType) {
      case "counter":
      case "register":
        return "string";
      default:
        return meldType;
    }
  }

  /* One command per key, all handed to the gateway before any answer arrives; the answers add up,
   * and the first refusal (in key order) is the reply. */
  private static CompletableFuture<RespValue> sum(
      Client client, List<Bytes> keys, Function<Bytes, Command> perKey) {
    List<CompletableFuture<Reply>> answers = new ArrayList<>(keys.size());
    for (Bytes key : keys) {
      answers.add(client.execute(perKey.apply(key)));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              long total = 0;
              for (CompletableFuture<Reply> answer : answers) {
                Reply reply = answer.join();
                if (!(reply instanceof Reply.Int n)) {
                  return Replies.toResp(reply);
                }
                total += n.value();
              }
              return new RespValue.Int(total);
            });
  }
}
