package dev.meld.node.resp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One command of the client port: its name, arity and flags as {@code COMMAND INFO} reports them,
 * its documentation as {@code COMMAND DOCS} reports it, and its handler. A container command
 * ({@code CLIENT}, {@code COMMAND}) has subcommands, named {@code client|setname}.
 *
 * @param name lower case; {@code parent|sub} for a subcommand
 * @param arity Redis' convention: {@code n} exactly n arguments with the name, {@code -n} at least
 *     n
 * @param flags Redis' command flags ({@code readonly}, {@code write}, {@code fast}, {@code
 *     no_auth})
 * @param firstKey position of the first key, 0 if none
 * @param lastKey position of the last key, -1 for the last argument
 * @param step distance between keys
 * @param group the {@code COMMAND DOCS} group ({@code string}, {@code set}, {@code generic}...)
 * @param summary one line
 * @param since the Redis version that introduced the command
 * @param complexity its time complexity
 * @param arguments its arguments after the name
 * @param subcommands for a container command
 * @param handler null for a container command without a handler of its own
 */
record CommandSpec(
    String name,
    int arity,
    List<String> flags,
    int firstKey,
    int lastKey,
    int step,
    String group,
    String summary,
    String since,
    String complexity,
    List<ArgDoc> arguments,
    List<CommandSpec> subcommands,
    CommandHandler handler) {

  public CommandSpec {
    Objects.requireNonNull(name, "name");
    flags = List.copyOf(flags);
    arguments = List.copyOf(arguments);
    subcommands = List.copyOf(subcommands);
  }

  static Builder command(String name, int arity) {
    return new Builder(name, arity);
  }

  /** Whether a request of {@code argc} arguments (the name included) fits the arity. */
  boolean acceptsArgc(int argc) {
    return arity >= 0 ? argc == arity : argc >= -arity;
  }

  boolean has(String flag) {
    return flags.contains(flag);
  }

  /** The subcommand called {@code word} (any case), or null. */
  CommandSpec subcommand(String word) {
    String full = name + "|" + word.toLowerCase(Locale.ROOT);
    for (CommandSpec sub : subcommands) {
      if (sub.name.equals(full)) {
        return sub;
      }
    }
    return null;
  }

  /** The ACL categories Redis would give this command, derived from its flags and group. */
  List<String> aclCategories() {
    List<String> cats = new ArrayList<>();
    if (has("write")) {
      cats.add("@write");
    } else if (has("readonly")) {
      cats.add("@read");
    }
    switch (group) {
      case "string" -> cats.add("@string");
      case "set" -> cats.add("@set");
      case "generic" -> cats.add("@keyspace");
      case "connection" -> cats.add("@connection");
      default -> {}
    }
    cats.add(has("fast") ? "@fast" : "@slow");
    return cats;
  }

  /** The entry {@code COMMAND} and {@code COMMAND INFO} give (Redis 7 layout, 10 fields). */
  RespValue info() {
    List<RespValue> subs = new ArrayList<>(subcommands.size());
    for (CommandSpec sub : subcommands) {
      subs.add(sub.info());
    }
    return RespValue.Array.of(
        RespValue.Bulk.of(name),
        new RespValue.Int(arity),
        new RespValue.Set(simples(flags)),
        new RespValue.Int(firstKey),
        new RespValue.Int(lastKey),
        new RespValue.Int(step),
        new RespValue.Set(simples(aclCategories())),
        RespValue.Array.EMPTY,
        RespValue.Array.EMPTY,
        new RespValue.Array(subs));
  }

  /** The map {@code COMMAND DOCS} gives for this command. */
  RespValue docs() {
    List<RespValue> e = new ArrayList<>();
    pair(e, "summary", RespValue.Bulk.of(summary));
    pair(e, "since", RespValue.Bulk.of(since));
    pair(e, "group", RespValue.Bulk.of(group));
    pair(e, "complexity", RespValue.Bulk.of(complexity));
    if (!arguments.isEmpty()) {
      List<RespValue> args = new ArrayList<>(arguments.size());
      for (ArgDoc a : arguments) {
        args.add(a.toResp());
      }
      pair(e, "arguments", new RespValue.Array(args));
    }
    if (!subcommands.isEmpty()) {
      List<RespValue> subs = new ArrayList<>();
      for (CommandSpec sub : subcommands) {
        subs.add(RespValue.Bulk.of(sub.name));
        subs.add(sub.docs());
      }
      pair(e, "subcommands", new RespValue.Map(subs));
    }
    return new RespValue.Map(e);
  }

  private static void pair(List<RespValue> entries, String key, RespValue value) {
    entries.add(RespValue.Bulk.of(key));
    entries.add(value);
  }

  private static List<RespValue> simples(List<String> words) {
    List<RespValue> out = new ArrayList<>(words.size());
    for (String w : words) {
      out.add(new RespValue.Simple(w));
    }
    return out;
  }

  /** Builds a {@link CommandSpec}. */
  static final class Builder {
    private final String name;
    private final int arity;
    private List<String> flags = List.of();
    private int firstKey;
    private int lastKey;
    private int step;
    private String group = "generic";
    private String summary = "";
    private String since = "1.0.0";
    private String complexity = "O(1)";
    private List<ArgDoc> arguments = List.of();
    private List<CommandSpec> subcommands = List.of();
    private CommandHandler handler;

    private Builder(String name, int arity) {
      this.name = name;
      this.arity = arity;
    }

    Builder flags(String... v) {
      flags = List.of(v);
      return this;
    }

    Builder keys(int first, int last, int keyStep) {
      firstKey = first;
      lastKey = last;
      step = keyStep;
      return this;
    }

    Builder doc(String docGroup, String docSince, String docComplexity, String docSummary) {
      group = docGroup;
      since = docSince;
      complexity = docComplexity;
      summary = docSummary;
      return this;
    }

    Builder args(ArgDoc... v) {
      arguments = List.of(v);
      return this;
    }

    Builder subcommands(CommandSpec... v) {
      subcommands = List.of(v);
      return this;
    }

    Builder handler(CommandHandler v) {
      handler = v;
      return this;
    }

    CommandSpec build() {
      return new CommandSpec(
          name,
          arity,
          flags,
          firstKey,
          lastKey,
          step,
          group,
          summary,
          since,
          complexity,
          arguments,
          subcommands,
          handler);
    }
  }
}
