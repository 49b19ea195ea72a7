package dev.meld.node.resp;

import dev.meld.crdt.Bytes;
import dev.meld.node.command.Reply;
import java.util.ArrayList;
import java.util.List;

/** How the replica's {@link Reply}s read in Redis' terms. */
final class Replies {

  static final String WRONGTYPE =
      "WRONGTYPE Operation against a key holding the wrong kind of value";
  static final String OVERFLOW = "ERR increment or decrement would overflow";

  private Replies() {}

  /**
   * The Redis form of {@code reply}: {@code +OK}, an integer, a bulk string, null, a set of
   * elements, an array of integers, a scan step, a status line with a type name, or an error.
   */
  static RespValue toResp(Reply reply) {
    if (reply instanceof Reply.Ok) {
      return RespValue.Simple.OK;
    }
    if (reply instanceof Reply.Int i) {
      return new RespValue.Int(i.value());
    }
    if (reply instanceof Reply.Bulk b) {
      return new RespValue.Bulk(b.value());
    }
    if (reply instanceof Reply.Nil) {
      return RespValue.Null.INSTANCE;
    }
    if (reply instanceof Reply.Elements e) {
      List<RespValue> items = new ArrayList<>(e.elements().size());
      for (Bytes element : e.elements()) {
        items.add(new RespValue.Bulk(element));
      }
      return new RespValue.Set(items);
    }
    if (reply instanceof Reply.Stream stream) {
      return new RespValue.Stream(stream.elements(), true);
    }
    if (reply instanceof Reply.Ints ints) {
      List<RespValue> items = new ArrayList<>(ints.values().size());
      for (long value : ints.values()) {
        items.add(new RespValue.Int(value));
      }
      return new RespValue.Array(items);
    }
    if (reply instanceof Reply.Scan scan) {
      return scan(scan);
    }
    if (reply instanceof Reply.TypeName t) {
      return new RespValue.Simple(t.name());
    }
    return error((Reply.Error) reply);
  }

  /**
   * A scan step as Redis sends it in both protocols: the cursor as a bulk string of its unsigned
   * decimal digits, then an array (not a set: Redis' scans may repeat a member) of members.
   */
  private static RespValue scan(Reply.Scan scan) {
    List<RespValue> members = new ArrayList<>(scan.elements().size());
    for (Bytes member : scan.elements()) {
      members.add(new RespValue.Bulk(member));
    }
    return RespValue.Array.of(
        RespValue.Bulk.of(Long.toUnsignedString(scan.cursor())), new RespValue.Array(members));
  }

  /**
   * The Redis error for a refusal: {@code WRONGTYPE} and overflow in Redis' own words (clients
   * match them), the rest as {@code CODE message}.
   */
  static RespValue.Error error(Reply.Error e) {
    switch (e.code()) {
      case WRONGTYPE:
        return new RespValue.Error(WRONGTYPE);
      case OVERFLOW:
        return new RespValue.Error(OVERFLOW);
      case READONLY:
        return new RespValue.Error("READONLY " + e.message());
      case NOT_READY:
        return new RespValue.Error("LOADING " + e.message());
      case TOO_LARGE:
      case RESERVED:
      default:
        return new RespValue.Error("ERR " + e.message());
    }
  }

  /** Whether {@code reply} is a refusal with {@code code}. */
  static boolean is(Reply reply, Reply.Code code) {
    return reply instanceof Reply.Error e && e.code() == code;
  }
}
