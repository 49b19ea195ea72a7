package dev.meld.node.resp;

import static dev.meld.node.resp.ArgDoc.integer;
import static dev.meld.node.resp.ArgDoc.key;
import static dev.meld.node.resp.ArgDoc.string;
import static dev.meld.node.resp.CommandSpec.command;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Command;
import dev.meld.node.command.GlobPattern;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Redis' set commands over Meld's add-wins observed-remove sets: {@code SADD}, {@code SREM}, {@code
 * SMEMBERS}, {@code SISMEMBER}, {@code SMISMEMBER}, {@code SCARD}, {@code SSCAN}. {@code SMEMBERS}
 * lists the members as a RESP3 set after {@code HELLO 3}, in unsigned byte order (Redis promises
 * no order); a set of more than {@link Command.SetMembers#STREAM_ABOVE} members comes in the order
 * of their hashes instead, read from the store as the client takes the reply, never built whole.
 */
final class SetCommands {

  /** Redis' default for {@code SSCAN ... COUNT}: about how many members one call examines. */
  static final int DEFAULT_SCAN_COUNT = 10;

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
            .handler((c, a) -> run(c, new Command.SetMembers(a.key(1), true)))
            .build(),
        command("sismember", 3)
            .flags("readonly", "fast")
            .keys(1, 1, 1)
            .doc("set", "1.0.0", "O(1)", "Whether a member is in the set at a key")
            .args(key("key"), string("member"))
            .handler((c, a) -> run(c, new Command.SetContains(a.key(1), Bytes.of(a.bytes(2)))))
            .build(),
        command("smismember", -3)
            .flags("readonly", "fast")
            .keys(1, 1, 1)
            .doc(
                "set",
                "6.2.0",
                "O(N) where N is the number of members asked about",
                "Whether each of several members is in the set at a key")
            .args(key("key"), string("member").multiple())
            .handler((c, a) -> run(c, new Command.SetContainsEach(a.key(1), a.bytesFrom(2))))
            .build(),
        command("scard", 2)
            .flags("readonly", "fast")
            .keys(1, 1, 1)
            .doc("set", "1.0.0", "O(1)", "Get the number of members of a set")
            .args(key("key"))
            .handler((c, a) -> run(c, new Command.SetSize(a.key(1))))
            .build(),
        command("sscan", -3)
            .flags("readonly")
            .keys(1, 1, 1)
            .doc(
                "set",
                "2.8.0",
                "O(1) for every call. O(N) for a complete iteration, N being the set's cardinality",
                "Iterate over the members of a set, in the order of their 63-bit hashes")
            .args(
                key("key"),
                integer("cursor"),
                string("pattern").after("MATCH").optional(),
                integer("count").after("COUNT").optional())
            .handler(SetCommands::scan)
            .build());
  }

  /*
   * Redis' scanGenericCommand: the cursor first, then options in any order, each repeat replacing
   * the one before. Unlike Redis, which looks the key up before reading the options, a bad option
   * is refused even on a missing key or one of another type.
   */
  private static CompletableFuture<RespValue> scan(Client client, Args args) {
    long cursor = cursor(args.bytes(2));
    int count = DEFAULT_SCAN_COUNT;
    Bytes match = null;
    for (int i = 3; i < args.size(); ) {
      boolean hasValue = i + 1 < args.size();
      if (args.is(i, "count") && hasValue) {
        long n = args.integer(i + 1);
        if (n < 1) {
          throw CommandException.syntax();
        }
        count = (int) Math.min(n, Integer.MAX_VALUE); // only a hint of the work per call
        i += 2;
      } else if (args.is(i, "match") && hasValue) {
        byte[] pattern = args.bytes(i + 1);
        // as in Redis, a lone star is no pattern at all
        match = pattern.length == 1 && pattern[0] == '*' ? null : Bytes.of(pattern);
        i += 2;
      } else if (args.is(i, "novalues")) {
        throw new CommandException("ERR NOVALUES option can only be used in HSCAN");
      } else {
        throw CommandException.syntax();
      }
    }
    if (match != null && match.length() > GlobPattern.MAX_PATTERN_BYTES) {
      throw new CommandException(
          "ERR MATCH pattern: "
              + match.length()
              + " bytes (expected: <= "
              + GlobPattern.MAX_PATTERN_BYTES
              + ")");
    }
    return run(client, new Command.SetScan(args.key(1), cursor, count, match));
  }

  /**
   * Redis' {@code string2ull}: a canonical decimal ({@code string2ll}, as for any integer argument)
   * that is not negative, or else whatever C's {@code strtoull} reads whole: blanks, an optional
   * sign, digits, at most 2^64 - 1, a minus negating modulo 2^64 (clients never send such cursors,
   * but they get Redis' answer). Redis' C strings end at a NUL byte; here a NUL is refused like any
   * other stray byte.
   */
  private static long cursor(byte[] s) {
    long canonical;
    try {
      canonical = Args.parseLong(s, SetCommands::invalidCursor);
    } catch (CommandException notCanonical) {
      return strtoull(s);
    }
    if (canonical < 0) {
      throw invalidCursor();
    }
    return canonical;
  }

  private static long strtoull(byte[] s) {
    int i = 0;
    while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) {
      i++;
    }
    boolean negative = i < s.length && s[i] == '-';
    if (i < s.length && (s[i] == '-' || s[i] == '+')) {
      i++;
    }
    if (i == s.length) {
      throw invalidCursor();
    }
    long max = Long.divideUnsigned(-1L, 10);
    long value = 0;
    for (; i < s.length; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9 || Long.compareUnsigned(value, max) > 0 || (value == max && d > 5)) {
        throw invalidCursor();
      }
      value = value * 10 + d;
    }
    return negative ? -value : value;
  }

  private static CommandException invalidCursor() {
    return new CommandException("ERR invalid cursor");
  }

  private static CompletableFuture<RespValue> run(Client client, Command command) {
    return client.execute(command).thenApply(Replies::toResp);
  }
}
