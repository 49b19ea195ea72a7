package dev.meld.node.resp;

import static dev.meld.node.resp.ArgDoc.key;
import static dev.meld.node.resp.ArgDoc.string;
import static dev.meld.node.resp.CommandSpec.command;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Redis' string commands over Meld's registers and counters: {@code GET}, {@code SET}, {@code
 * INCR}, {@code INCRBY}, {@code DECR}, {@code DECRBY}.
 *
 * <p>A key holds one type from its first write on. {@code SET} writes a last-writer-wins register;
 * the {@code INCR} family writes a PN-counter. {@code GET} reads either: a counter's value comes
 * back as its decimal digits, as Redis shows a number it has incremented. {@code INCR} on a
 * register answers {@code WRONGTYPE} even when the register holds digits (Redis would parse them):
 * a counter's increments from different nodes add up, which a register's overwrites could not.
 */
final class StringCommands {

  /* Options Redis' SET knows and Meld refuses: a replicated last-writer-wins register has no
   * conditional write that every replica would agree on, and Meld has no expiry. */
  private static final Set<String> REFUSED_SET_OPTIONS =
      Set.of("nx", "xx", "get", "ex", "px", "exat", "pxat");

  private StringCommands() {}

  static List<CommandSpec> specs() {
    return List.of(
        command("get", 2)
            .flags("readonly", "fast")
            .keys(1, 1, 1)
            .doc(
                "string",
                "1.0.0",
                "O(1)",
                "Get the value of a key (a register, or a counter's value)")
            .args(key("key"))
            .handler(StringCommands::get)
            .build(),
        command("set", -3)
            .flags("write", "denyoom")
            .keys(1, 1, 1)
            .doc("string", "1.0.0", "O(1)", "Set the last-writer-wins register at a key")
            .args(key("key"), string("value"), ArgDoc.token("KEEPTTL").optional())
            .handler(StringCommands::set)
            .build(),
        counterCommand("incr", "Increment the counter at a key by one", (c, a) -> add(c, a, 1)),
        counterCommand(
            "incrby",
            "Increment the counter at a key by a number",
            (c, a) -> add(c, a, a.integer(2)),
            ArgDoc.integer("increment")),
        counterCommand(
            "decr", "Decrement the counter at a key by one", (c, a) -> subtract(c, a, 1)),
        counterCommand(
            "decrby",
            "Decrement the counter at a key by a number",
            (c, a) -> subtract(c, a, a.integer(2)),
            ArgDoc.integer("decrement")));
  }

  /** One of the INCR family: a key, and the amount if {@code amount} is given. */
  private static CommandSpec counterCommand(
      String name, String summary, CommandHandler handler, ArgDoc... amount) {
    List<ArgDoc> args = new ArrayList<>(List.of(key("key")));
    args.addAll(List.of(amount));
    return command(name, 2 + amount.length)
        .flags("write", "denyoom", "fast")
        .keys(1, 1, 1)
        .doc("string", "1.0.0", "O(1)", summary)
        .args(args.toArray(ArgDoc[]::new))
        .handler(handler)
        .build();
  }

  /* Both reads go to the gateway back to back, so nothing this connection sends later can land
   * between them; the counter read is the answer only when the key is not a register. */
  private static CompletableFuture<RespValue> get(Client client, Args args) {
    Bytes key = args.key(1);
    CompletableFuture<Reply> register = client.execute(new Command.RegisterGet(key));
    CompletableFuture<Reply> counter = client.execute(new Command.CounterGet(key));
    return register.thenCombine(
        counter,
        (r, n) -> {
          if (!Replies.is(r, Reply.Code.WRONGTYPE)) {
            return Replies.toResp(r);
          }
          if (n instanceof Reply.Int value) {
            return RespValue.Bulk.of(Long.toString(value.value()));
          }
          return Replies.toResp(n);
        });
  }

  private static CompletableFuture<RespValue> set(Client client, Args args) {
    for (int i = 3; i < args.size(); i++) {
      String option = args.lower(i);
      if (REFUSED_SET_OPTIONS.contains(option)) {
        throw new CommandException(
            "ERR SET option '"
                + option.toUpperCase(Locale.ROOT)
                + "' is not supported: Meld registers are last-writer-wins, with no conditional"
                + " writes and no expiry");
      }
      if (!option.equals("keepttl")) {
        throw CommandException.syntax();
      }
    }
    Command set = new Command.RegisterSet(args.key(1), Bytes.of(args.bytes(2)));
    return client.execute(set).thenApply(Replies::toResp);
  }

  private static CompletableFuture<RespValue> add(Client client, Args args, long amount) {
    return client.execute(new Command.Increment(args.key(1), amount)).thenApply(Replies::toResp);
  }

  private static CompletableFuture<RespValue> subtract(Client client, Args args, long amount) {
    if (amount == Long.MIN_VALUE) {
      // Redis refuses this before looking at the key: the negation has no 64-bit value.
      throw new CommandException("ERR decrement would overflow");
    }
    return client.execute(new Command.Decrement(args.key(1), amount)).thenApply(Replies::toResp);
  }
}
