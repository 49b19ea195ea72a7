package dev.meld.node.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Who may do what on the admin port. Any request carrying {@code Origin} is refused: browsers add
 * it to cross-site requests, and no operator tool needs it, so a web page cannot reach the port
 * through a visitor's browser (a {@code text/plain} POST needs no CORS preflight). A mutating
 * request must then carry the bearer token, and a JSON body: {@code Content-Type:
 * application/json}, which a cross-site form or {@code fetch} cannot send without a preflight.
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken
 * tells nothing about the token, its length included.
 */
final class AdminAccess {

  /** Why a request is refused: the status, the metrics reason and the text answered. */
  record Refusal(HttpResponseStatus status, String reason, String message) {}

  private final AdminConfig config;
  private final byte[] tokenDigest;

  AdminAccess(AdminConfig config) {
    this.config = config;
    this.tokenDigest = config.token() == null ? null : sha256(config.token());
  }

  /** Refuses any request from a browser's other origin; null when it may go on. */
  Refusal crossSite(FullHttpRequest request) {
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    if (origin == null) {
      return null;
    }
    return new Refusal(
        HttpResponseStatus.FORBIDDEN,
        "origin",
        "cross-origin request refused: Origin " + printable(origin) + " (expected: no Origin header)");
  }

  /** Whether a mutating request may go on (null) or why not. */
  Refusal mutate(FullHttpRequest request) {
    if (tokenDigest == null) {
      if (!config.open()) {
        return new Refusal(
            HttpResponseStatus.FORBIDDEN,
            "disabled",
            "mutating admin requests are disabled: no admin token is configured (expected:"
                + " --admin-token-file or --password; or --admin-insecure with the admin port on"
                + " loopback)");
      }
    } else {
      String given = bearer(request.headers().get(HttpHeaderNames.AUTHORIZATION));
      if (given == null || !MessageDigest.isEqual(tokenDigest, sha256(given))) {
        return new Refusal(
            HttpResponseStatus.UNAUTHORIZED,
            "unauthorized",
            given == null
                ? "unauthorized: no bearer token (expected: Authorization: Bearer <admin token>)"
                : "unauthorized: wrong bearer token (expected: the admin token)");
      }
    }
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (type == null || !isJson(type)) {
      return new Refusal(
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "media_type",
          "content type: "
              + (type == null ? "none" : printable(type))
              + " (expected: application/json)");
    }
    return null;
  }

  /** The token of {@code Bearer <token>} (the scheme case-insensitive), or null. */
  static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String a = authorization.strip();
    if (a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = a.substring(7).strip();
    return token.isEmpty() ? null : token;
  }

  private static boolean isJson(String contentType) {
    return HttpUtil.getMimeType(contentType) != null
        && HttpUtil.getMimeType(contentType)
            .toString()
            .strip()
            .toLowerCase(Locale.ROOT)
            .equals(HttpHeaderValues.APPLICATION_JSON.toString());
  }

  /** A header value fit for an answer or a log: at most 100 printable ASCII characters. */
  private static String printable(String value) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < value.length() && sb.length() < 100; i++) {
      char c = value.charAt(i);
      sb.append(c >= ' ' && c <= '~' ? c : '?');
    }
    return "'" + sb + (value.length() > 100 ? "...'" : "'");
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
