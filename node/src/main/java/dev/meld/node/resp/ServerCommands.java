package dev.meld.node.resp;

import static dev.meld.node.resp.ArgDoc.integer;
import static dev.meld.node.resp.ArgDoc.string;
import static dev.meld.node.resp.CommandSpec.command;
import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.meld.node.command.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Commands about the server: {@code COMMAND} (with {@code COUNT}, {@code DOCS}, {@code INFO},
 * {@code LIST}: what {@code redis-cli} asks for its help and hints), {@code INFO}, {@code DBSIZE}
 * and {@code WAIT}.
 */
final class ServerCommands {

  private ServerCommands() {}

  static List<CommandSpec> specs() {
    return List.of(
        command("command", -1)
            .flags()
            .doc(
                "server",
                "2.8.13",
                "O(N) where N is the total number of Redis commands",
                "Get details about every command")
            .handler((c, a) -> completedFuture(infos(c.server.commands.all())))
            .subcommands(
                command("command|count", 2)
                    .flags()
                    .doc("server", "2.8.13", "O(1)", "Get the number of commands")
                    .handler(
                        (c, a) ->
                            completedFuture(new RespValue.Int(c.server.commands.all().size())))
                    .build(),
                command("command|docs", -2)
                    .flags()
                    .doc(
                        "server",
                        "7.0.0",
                        "O(N) where N is the number of commands to look up",
                        "Get documentary information about commands")
                    .args(string("command-name").optional().multiple())
                    .handler(ServerCommands::docs)
                    .build(),
                command("command|info", -2)
                    .flags()
                    .doc(
                        "server",
                        "2.8.13",
                        "O(N) where N is the number of commands to look up",
                        "Get details about commands")
                    .args(string("command-name").optional().multiple())
                    .handler(ServerCommands::info)
                    .build(),
                command("command|list", -2)
                    .flags()
                    .doc(
                        "server",
                        "7.0.0",
                        "O(N) where N is the total number of Redis commands",
                        "Get the names of every command")
                    .handler(ServerCommands::list)
                    .build(),
                command("command|help", 2)
                    .flags()
                    .doc(
                        "server",
                        "5.0.0",
                        "O(1)",
                        "Show helpful text about the different subcommands")
                    .handler(
                        (c, a) ->
                            ConnectionCommands.help(
                                "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                                "(no subcommand)",
                                "    Return details about all commands.",
                                "COUNT",
                                "    Return the total number of commands.",
                                "DOCS [<command-name> ...]",
                                "    Return documentation details about commands.",
                                "INFO [<command-name> ...]",
                                "    Return details about commands.",
                                "LIST",
                                "    Return the names of all commands.",
                                "HELP",
                                "    Print this help."))
                    .build())
            .build(),
        command("info", -1)
            .flags()
            .doc(
                "server",
                "1.0.0",
                "O(1)",
                "Get information and statistics about the node (server, clients, replication,"
                    + " keyspace, meld)")
            .args(string("section").optional().multiple())
            .handler(ServerCommands::infoReport)
            .build(),
        command("dbsize", 1)
            .flags("readonly", "fast")
            .doc("server", "1.0.0", "O(1)", "Return the number of keys")
            .handler((c, a) -> c.execute(new Command.KeyCount()).thenApply(Replies::toResp))
            .build(),
        command("wait", 3)
            .flags()
            .doc(
                "generic",
                "3.0.0",
                "O(1)",
                "Wait until peers acknowledge this connection's writes; return how many did")
            .args(integer("numreplicas"), integer("timeout"))
            .handler(ServerCommands::waitForPeers)
            .build());
  }

  private static RespValue infos(Iterable<CommandSpec> specs) {
    List<RespValue> items = new ArrayList<>();
    for (CommandSpec spec : specs) {
      items.add(spec.info());
    }
    return new RespValue.Array(items);
  }

  /** The command or subcommand ({@code client|setname}) called {@code name}, or null. */
  private static CommandSpec find(Client client, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int bar = lower.indexOf('|');
    if (bar < 0) {
      return client.server.commands.lookup(lower);
    }
    CommandSpec parent = client.server.commands.lookup(lower.substring(0, bar));
    return parent == null ? null : parent.subcommand(lower.substring(bar + 1));
  }

  private static CompletableFuture<RespValue> docs(Client client, Args args) {
    List<RespValue> entries = new ArrayList<>();
    if (args.size() == 2) {
      for (CommandSpec spec : client.server.commands.all()) {
        entries.add(RespValue.Bulk.of(spec.name()));
        entries.add(spec.docs());
      }
    }
    for (int i = 2; i < args.size(); i++) {
      CommandSpec spec = find(client, args.string(i));
      if (spec != null) {
        entries.add(RespValue.Bulk.of(spec.name()));
        entries.add(spec.docs());
      }
    }
    return completedFuture(new RespValue.Map(entries));
  }

  private static CompletableFuture<RespValue> info(Client client, Args args) {
    if (args.size() == 2) {
      return completedFuture(infos(client.server.commands.all()));
    }
    List<RespValue> items = new ArrayList<>();
    for (int i = 2; i < args.size(); i++) {
      CommandSpec spec = find(client, args.string(i));
      items.add(spec == null ? RespValue.Null.INSTANCE : spec.info());
    }
    return completedFuture(new RespValue.Array(items));
  }

  private static CompletableFuture<RespValue> list(Client client, Args args) {
    if (args.size() > 2) {
      throw new CommandException("ERR COMMAND LIST filters are not supported");
    }
    List<RespValue> names = new ArrayList<>();
    for (CommandSpec spec : client.server.commands.all()) {
      names.add(RespValue.Bulk.of(spec.name()));
      for (CommandSpec sub : spec.subcommands()) {
        names.add(RespValue.Bulk.of(sub.name()));
      }
    }
    return completedFuture(new RespValue.Array(names));
  }

  private static CompletableFuture<RespValue> infoReport(Client client, Args args) {
    List<String> sections = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      sections.add(args.string(i));
    }
    ServerContext server = client.server;
    String text =
        new InfoReport(
                server.gateway.info(),
                server.gateway.status(),
                server.config,
                server.connectedClients(),
                server.rejectedConnections(),
                System.currentTimeMillis())
            .render(sections);
    return completedFuture(new RespValue.Verbatim("txt", text));
  }

  /* Redis WAIT: numreplicas any integer (beyond int range it cannot be reached anyway), timeout
   * in milliseconds, 0 for no deadline. */
  private static CompletableFuture<RespValue> waitForPeers(Client client, Args args) {
    long replicas = args.integer(1);
    long timeout =
        Args.parseLong(
            args.bytes(2),
            () -> new CommandException("ERR timeout is not an integer or out of range"));
    if (timeout < 0) {
      throw new CommandException("ERR timeout is negative");
    }
    int wanted = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, replicas));
    return client.waitForReplicas(wanted, timeout).thenApply(n -> (RespValue) new RespValue.Int(n));
  }
}
