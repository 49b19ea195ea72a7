package dev.meld.chaos.proxy;

/**
 * A failed API request: the HTTP status and the message Toxiproxy would put in its {@code {"error":
 * ..., "status": ...}} body. Thrown before any state changes.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  /** Toxiproxy's "bad request body" (400), with what was wrong and what was expected. */
  static ApiException badRequest(String detail) {
    return new ApiException(400, "bad request body: " + detail);
  }

  static ApiException missingField(String field) {
    return new ApiException(400, "missing required field: " + field);
  }

  static ApiException proxyNotFound() {
    return new ApiException(404, "proxy not found");
  }

  static ApiException toxicNotFound() {
    return new ApiException(404, "toxic not found");
  }
}
