package dev.meld.node.resp;

import static dev.meld.node.resp.ArgDoc.integer;
import static dev.meld.node.resp.ArgDoc.string;
import static dev.meld.node.resp.CommandSpec.command;
import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.meld.crdt.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Commands about the connection itself, answered without the replica: {@code PING}, {@code ECHO},
 * {@code HELLO}, {@code AUTH}, {@code CLIENT}, {@code SELECT}, {@code QUIT}.
 *
 * <p>With a password set, only {@code AUTH}, {@code HELLO}, {@code QUIT} and (unlike Redis) {@code
 * PING} run before the client authenticates, so health checks need no password.
 */
final class ConnectionCommands {

  /** The Redis version whose behaviour the port follows, as {@code HELLO} and {@code INFO} say. */
  static final String REDIS_VERSION = "7.2.0";

  private static final RespValue PONG = new RespValue.Simple("PONG");
  private static final RespValue WRONGPASS =
      new RespValue.Error("WRONGPASS invalid username-password pair or user is disabled.");

  private ConnectionCommands() {}

  static List<CommandSpec> specs() {
    return List.of(
        command("ping", -1)
            .flags("fast", "no_auth")
            .doc("connection", "1.0.0", "O(1)", "Ping the server")
            .args(string("message").optional())
            .handler(ConnectionCommands::ping)
            .build(),
        command("echo", 2)
            .flags("fast")
            .doc("connection", "1.0.0", "O(1)", "Echo the given string")
            .args(string("message"))
            .handler((c, a) -> completedFuture(new RespValue.Bulk(Bytes.of(a.bytes(1)))))
            .build(),
        command("hello", -1)
            .flags("fast", "no_auth")
            .doc(
                "connection",
                "6.0.0",
                "O(1)",
                "Handshake: choose the protocol (2 or 3), authenticate, name the connection")
            .args(
                ArgDoc.block(
                        "arguments",
                        integer("protover"),
                        ArgDoc.block("username-password", string("username"), string("password"))
                            .after("AUTH")
                            .optional(),
                        string("clientname").after("SETNAME").optional())
                    .optional())
            .handler(ConnectionCommands::hello)
            .build(),
        command("auth", -2)
            .flags("fast", "no_auth")
            .doc(
                "connection",
                "1.0.0",
                "O(N) where N is the number of passwords defined for the user",
                "Authenticate the connection")
            .args(string("username").optional(), string("password"))
            .handler(ConnectionCommands::auth)
            .build(),
        command("client", -2)
            .flags()
            .doc("connection", "2.4.0", "Depends on subcommand.", "A container for client commands")
            .subcommands(
                command("client|id", 2)
                    .flags("fast")
                    .doc(
                        "connection",
                        "5.0.0",
                        "O(1)",
                        "Returns the unique client ID of the connection")
                    .handler((c, a) -> completedFuture(new RespValue.Int(c.id)))
                    .build(),
                command("client|getname", 2)
                    .flags("fast")
                    .doc("connection", "2.6.9", "O(1)", "Returns the name of the connection")
                    .handler(
                        (c, a) ->
                            completedFuture(
                                c.name().isEmpty()
                                    ? RespValue.Null.INSTANCE
                                    : RespValue.Bulk.of(c.name())))
                    .build(),
                command("client|setname", 3)
                    .flags("fast")
                    .doc("connection", "2.6.9", "O(1)", "Sets the connection name")
                    .args(string("connection-name"))
                    .handler(ConnectionCommands::setName)
                    .build(),
                command("client|setinfo", 4)
                    .flags("fast")
                    .doc("connection", "7.2.0", "O(1)", "Sets information about the client library")
                    .args(
                        ArgDoc.oneOf(
                            "attr",
                            string("libname").after("LIB-NAME"),
                            string("libver").after("LIB-VER")))
                    .handler(ConnectionCommands::setInfo)
                    .build(),
                command("client|info", 2)
                    .flags()
                    .doc("connection", "6.2.0", "O(1)", "Returns information about the connection")
                    .handler((c, a) -> completedFuture(new RespValue.Verbatim("txt", describe(c))))
                    .build(),
                command("client|help", 2)
                    .flags()
                    .doc(
                        "connection",
                        "5.0.0",
                        "O(1)",
                        "Show helpful text about the different subcommands")
                    .handler(
                        (c, a) ->
                            help(
                                "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                                "ID",
                                "    Return the ID of the current connection.",
                                "GETNAME",
                                "    Return the name of the current connection.",
                                "SETNAME <name>",
                                "    Assign the name <name> to the current connection.",
                                "SETINFO <LIB-NAME|LIB-VER> <value>",
                                "    Set client library name or version.",
                                "INFO",
                                "    Return information about the current connection.",
                                "HELP",
                                "    Print this help."))
                    .build())
            .build(),
        command("select", 2)
            .flags("fast")
            .doc("connection", "1.0.0", "O(1)", "Change the selected database (only 0 exists)")
            .args(integer("index"))
            .handler(ConnectionCommands::select)
            .build(),
        command("quit", -1)
            .flags("fast", "no_auth")
            .doc("connection", "1.0.0", "O(1)", "Close the connection")
            .handler(
                (c, a) -> {
                  c.closeAfterReply();
                  return completedFuture(RespValue.Simple.OK);
                })
            .build());
  }

  private static CompletableFuture<RespValue> ping(Client client, Args args) {
    if (args.size() > 2) {
      throw new CommandException("ERR wrong number of arguments for 'ping' command");
    }
    return completedFuture(args.size() == 2 ? new RespValue.Bulk(Bytes.of(args.bytes(1))) : PONG);
  }

  /* Redis' order: the protocol version, every option's syntax, then AUTH, then the NOAUTH check,
   * then SETNAME, and only then the switch of protocol; a failing step changes nothing after it. */
  private static CompletableFuture<RespValue> hello(Client client, Args args) {
    int version = 0;
    if (args.size() >= 2) {
      long v =
          Args.parseLong(
              args.bytes(1),
              () -> new CommandException("ERR Protocol version is not an integer or out of range"));
      if (v < 2 || v > 3) {
        throw new CommandException("NOPROTO unsupported protocol version");
      }
      version = (int) v;
    }
    byte[] user = null;
    byte[] password = null;
    byte[] name = null;
    for (int i = 2; i < args.size(); i++) {
      int more = args.size() - 1 - i;
      if (args.is(i, "AUTH") && more >= 2) {
        user = args.bytes(i + 1);
        password = args.bytes(i + 2);
        i += 2;
      } else if (args.is(i, "SETNAME") && more >= 1) {
        name = args.bytes(i + 1);
        i++;
      } else {
        throw new CommandException("ERR Syntax error in HELLO option '" + args.string(i) + "'");
      }
    }
    if (user != null) {
      CompletableFuture<RespValue> refused = authenticate(client, user, password);
      if (refused != null) {
        return refused;
      }
    }
    if (!client.authenticated()) {
      throw new CommandException(
          "NOAUTH HELLO must be called with the client already authenticated, otherwise the"
              + " HELLO AUTH <user> <pass> option can be used to authenticate the client and"
              + " select the RESP protocol version at the same time");
    }
    if (name != null) {
      client.name(checkedName(name, "Client names"));
    }
    if (version != 0) {
      client.protocol(version);
    }
    return completedFuture(
        new RespValue.Map(
            List.of(
                RespValue.Bulk.of("server"),
                RespValue.Bulk.of("redis"),
                RespValue.Bulk.of("version"),
                RespValue.Bulk.of(REDIS_VERSION),
                RespValue.Bulk.of("proto"),
                new RespValue.Int(client.protocol()),
                RespValue.Bulk.of("id"),
                new RespValue.Int(client.id),
                RespValue.Bulk.of("mode"),
                RespValue.Bulk.of("standalone"),
                RespValue.Bulk.of("role"),
                RespValue.Bulk.of("master"),
                RespValue.Bulk.of("modules"),
                RespValue.Array.EMPTY)));
  }

  private static CompletableFuture<RespValue> auth(Client client, Args args) {
    if (args.size() > 3) {
      throw CommandException.syntax();
    }
    if (args.size() == 2 && !client.server.config.requiresPassword()) {
      throw new CommandException(
          "ERR AUTH <password> called without any password configured for the default user."
              + " Are you sure your configuration is correct?");
    }
    byte[] user = args.size() == 3 ? args.bytes(1) : "default".getBytes(StandardCharsets.UTF_8);
    byte[] password = args.bytes(args.size() - 1);
    CompletableFuture<RespValue> refused = authenticate(client, user, password);
    return refused != null ? refused : completedFuture(RespValue.Simple.OK);
  }

  /**
   * Checks the credentials; null when they open the connection, else the (possibly delayed) reply
   * refusing them. The only user is "default"; without a configured password it takes any password,
   * as Redis' nopass default user does. A failed attempt leaves an authenticated client
   * authenticated.
   *
   * <p>Guessing is throttled (see node/README.md, "Limits"): an address over its allowance of
   * failures is refused without a look at the password; a connection's failures beyond the first
   * few are answered later and later; and the failure that reaches {@code maxAuthFailures} closes
   * the connection, which can then never log in.
   */
  private static CompletableFuture<RespValue> authenticate(
      Client client, byte[] user, byte[] password) {
    ServerContext server = client.server;
    RespConfig config = server.config;
    if (client.authLocked()) {
      client.closeAfterReply();
      return completedFuture(tooManyOnConnection(config));
    }
    long now = System.currentTimeMillis();
    long wait = server.authThrottle.retryAfterMillis(client.host, now);
    RespValue refusal;
    if (wait > 0) {
      server.metrics.authFailed("address");
      refusal =
          new RespValue.Error(
              "ERR too many failed AUTH attempts from "
                  + client.host
                  + ": "
                  + server.authThrottle.allowance()
                  + " in "
                  + server.authThrottle.windowMillis() / 1000
                  + " s (expected: fewer); retry in "
                  + (wait + 999) / 1000
                  + " s");
    } else if (matches(config, user, password)) {
      client.authenticated(true);
      return null;
    } else {
      server.authThrottle.failed(client.host, now);
      server.metrics.authFailed("wrongpass");
      refusal = WRONGPASS;
    }
    int failures = client.authFailed();
    if (client.authLocked()) {
      server.metrics.connectionFailed("auth");
      RespConnection.refusalLog.warn(
          "auth-locked", "client {} closed after {} failed AUTH attempts", client.address, failures);
      client.closeAfterReply();
      refusal = tooManyOnConnection(config);
    }
    return client.after(config.authDelayMillis(failures), refusal);
  }

  private static RespValue tooManyOnConnection(RespConfig config) {
    return new RespValue.Error(
        "ERR too many failed AUTH attempts on this connection: "
            + config.maxAuthFailures()
            + " (expected: < "
            + config.maxAuthFailures()
            + "); closing");
  }

  private static boolean matches(RespConfig config, byte[] user, byte[] password) {
    if (!new String(user, StandardCharsets.UTF_8).equals("default")) {
      return false;
    }
    String expected = config.password();
    return expected == null
        || MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), password);
  }

  private static CompletableFuture<RespValue> setName(Client client, Args args) {
    client.name(checkedName(args.bytes(2), "Client names"));
    return completedFuture(RespValue.Simple.OK);
  }

  private static CompletableFuture<RespValue> setInfo(Client client, Args args) {
    if (args.is(2, "LIB-NAME")) {
      client.libName(checkedName(args.bytes(3), "lib-name"));
    } else if (args.is(2, "LIB-VER")) {
      client.libVersion(checkedName(args.bytes(3), "lib-ver"));
    } else {
      throw new CommandException("ERR Unrecognized option '" + args.string(2) + "'");
    }
    return completedFuture(RespValue.Simple.OK);
  }

  /** Redis allows only printable ASCII without spaces in names ('!' to '~'). */
  private static String checkedName(byte[] name, String what) {
    for (byte b : name) {
      if (b < '!' || b > '~') {
        throw new CommandException(
            "ERR " + what + " cannot contain spaces, newlines or special characters.");
      }
    }
    return new String(name, StandardCharsets.US_ASCII);
  }

  private static CompletableFuture<RespValue> select(Client client, Args args) {
    if (args.integer(1) != 0) {
      throw new CommandException("ERR DB index is out of range");
    }
    return completedFuture(RespValue.Simple.OK);
  }

  /** The {@code CLIENT INFO} line, in Redis' field names. */
  private static String describe(Client c) {
    long now = System.nanoTime();
    return "id="
        + c.id
        + " addr="
        + c.address
        + " laddr="
        + c.localAddress
        + " name="
        + c.name()
        + " age="
        + TimeUnit.NANOSECONDS.toSeconds(now - c.createdAtNanos)
        + " idle="
        + TimeUnit.NANOSECONDS.toSeconds(c.idleNanos())
        + " db=0"
        + " resp="
        + c.protocol()
        + " lib-name="
        + c.libName()
        + " lib-ver="
        + c.libVersion()
        + "\n";
  }

  /** A {@code HELP} reply: one status line per line of text. */
  static CompletableFuture<RespValue> help(String... lines) {
    List<RespValue> items = new ArrayList<>(lines.length);
    for (String line : lines) {
      items.add(new RespValue.Simple(line));
    }
    return completedFuture(new RespValue.Array(items));
  }
}
