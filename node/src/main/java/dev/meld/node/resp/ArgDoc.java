package dev.meld.node.resp;

import java.util.ArrayList;
import java.util.List;

/**
 * One argument of a command as {@code COMMAND DOCS} describes it (and {@code redis-cli} shows it in
 * its hints): a name, a type ({@code key}, {@code string}, {@code integer}, {@code pure-token},
 * {@code oneof}, {@code block}), an optional token that introduces it, and whether it is optional
 * or may repeat.
 */
record ArgDoc(
    String name,
    String type,
    String token,
    boolean isOptional,
    boolean isMultiple,
    List<ArgDoc> children) {

  public ArgDoc {
    children = List.copyOf(children);
  }

  static ArgDoc key(String name) {
    return new ArgDoc(name, "key", null, false, false, List.of());
  }

  static ArgDoc string(String name) {
    return new ArgDoc(name, "string", null, false, false, List.of());
  }

  static ArgDoc integer(String name) {
    return new ArgDoc(name, "integer", null, false, false, List.of());
  }

  static ArgDoc token(String token) {
    return new ArgDoc(
        token.toLowerCase(java.util.Locale.ROOT), "pure-token", token, false, false, List.of());
  }

  static ArgDoc oneOf(String name, ArgDoc... children) {
    return new ArgDoc(name, "oneof", null, false, false, List.of(children));
  }

  static ArgDoc block(String name, ArgDoc... children) {
    return new ArgDoc(name, "block", null, false, false, List.of(children));
  }

  ArgDoc optional() {
    return new ArgDoc(name, type, token, true, isMultiple, children);
  }

  ArgDoc multiple() {
    return new ArgDoc(name, type, token, isOptional, true, children);
  }

  /** This argument introduced by {@code token} ({@code SETNAME name}). */
  ArgDoc after(String token) {
    return new ArgDoc(name, type, token, isOptional, isMultiple, children);
  }

  /** The map {@code COMMAND DOCS} gives for this argument. */
  RespValue toResp() {
    List<RespValue> e = new ArrayList<>();
    e.add(RespValue.Bulk.of("name"));
    e.add(RespValue.Bulk.of(name));
    e.add(RespValue.Bulk.of("type"));
    e.add(RespValue.Bulk.of(type));
    if (token != null) {
      e.add(RespValue.Bulk.of("token"));
      e.add(RespValue.Bulk.of(token));
    }
    List<RespValue> flags = new ArrayList<>();
    if (isOptional) {
      flags.add(new RespValue.Simple("optional"));
    }
    if (isMultiple) {
      flags.add(new RespValue.Simple("multiple"));
    }
    if (!flags.isEmpty()) {
      e.add(RespValue.Bulk.of("flags"));
      e.add(new RespValue.Set(flags));
    }
    if (!children.isEmpty()) {
      e.add(RespValue.Bulk.of("arguments"));
      List<RespValue> args = new ArrayList<>(children.size());
      for (ArgDoc child : children) {
        args.add(child.toResp());
      }
      e.add(new RespValue.Array(args));
    }
    return new RespValue.Map(e);
  }
}
