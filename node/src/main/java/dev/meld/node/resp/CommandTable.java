package dev.meld.node.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands the client port knows, by lower-case name, and the checks Redis makes before a
 * command runs, in Redis' order: the name (and subcommand) must be known, the arity must fit, and
 * the client must have authenticated unless the command is {@code no_auth}.
 */
final class CommandTable {
  private static final Logger log = LoggerFactory.getLogger(CommandTable.class);

  private final Map<String, CommandSpec> byName;

  private CommandTable(Collection<CommandSpec> specs) {
    Map<String, CommandSpec> map = new TreeMap<>();
    for (CommandSpec spec : specs) {
      if (map.put(spec.name(), spec) != null) {
        throw new IllegalArgumentException("command: " + spec.name() + " (expected: once)");
      }
    }
    this.byName = Collections.unmodifiableMap(map);
  }

  /** Every command family of the client port. */
  static CommandTable standard() {
    List<CommandSpec> specs = new ArrayList<>();
    specs.addAll(ConnectionCommands.specs());
    specs.addAll(ServerCommands.specs());
    specs.addAll(KeyCommands.specs());
    specs.addAll(StringCommands.specs());
    specs.addAll(SetCommands.specs());
    return new CommandTable(specs);
  }

  /** The command called {@code lowerName}, or null. */
  CommandSpec lookup(String lowerName) {
    return byName.get(lowerName);
  }

  /** Every command, by name. */
  Collection<CommandSpec> all() {
    return byName.values();
  }

  /**
   * Runs {@code args} (whose command is {@code spec}, null if unknown) for {@code client}. Never
   * throws: refusals and failures are error replies.
   */
  CompletableFuture<RespValue> run(CommandSpec spec, Client client, Args args) {
    try {
      RespValue refusal = check(spec, client, args);
      if (refusal != null) {
        return CompletableFuture.completedFuture(refusal);
      }
      CommandSpec target = spec;
      if (!spec.subcommands().isEmpty() && args.size() > 1) {
        target = spec.subcommand(args.string(1));
      }
      return target.handler().handle(client, args).exceptionally(CommandTable::failure);
    } catch (CommandException e) {
      return CompletableFuture.completedFuture(e.reply());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failure(e));
    }
  }

  private static RespValue check(CommandSpec spec, Client client, Args args) {
    if (spec == null) {
      return new RespValue.Error(
          "ERR unknown command '"
              + clip(args.string(0))
              + "', with args beginning with: "
              + argsForError(args, 1));
    }
    CommandSpec target = spec;
    if (!spec.subcommands().isEmpty() && args.size() > 1) {
      target = spec.subcommand(args.string(1));
      if (target == null) {
        return new RespValue.Error(
            "ERR unknown subcommand '"
                + clip(args.string(1))
                + "'. Try "
                + spec.name().toUpperCase(java.util.Locale.ROOT)
                + " HELP.");
      }
    }
    if (!target.acceptsArgc(args.size())) {
      return new RespValue.Error(
          "ERR wrong number of arguments for '" + target.name() + "' command");
    }
    if (!client.authenticated() && !target.has("no_auth")) {
      return new RespValue.Error("NOAUTH Authentication required.");
    }
    return null;
  }

  /* Redis quotes the first arguments of an unknown command, each as 'arg' and a space, until the
   * list reaches 128 characters: "ERR unknown command 'FOO', with args beginning with: 'a' 'b' ". */
  private static String argsForError(Args args, int from) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < args.size() && sb.length() < 128; i++) {
      String arg = new String(args.bytes(i), StandardCharsets.UTF_8);
      int room = 128 - sb.length();
      sb.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
    }
    return sb.toString();
  }

  private static String clip(String s) {
    return s.length() <= 128 ? s : s.substring(0, 128);
  }

  private static RespValue failure(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof CommandException refused) {
      return refused.reply();
    }
    log.warn("command failed", cause);
    String message = cause.getMessage();
    return new RespValue.Error("ERR " + (message != null ? message : cause.getClass().getName()));
  }
}
