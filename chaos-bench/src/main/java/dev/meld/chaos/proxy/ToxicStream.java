package dev.meld.chaos.proxy;

/**
 * Which bytes of a proxied connection a toxic acts on: {@code upstream} is what the client sends
 * towards the upstream server, {@code downstream} is what the server sends back.
 */
enum ToxicStream {
  UPSTREAM("upstream"),
  DOWNSTREAM("downstream");

  private final String wireName;

  ToxicStream(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }

  static ToxicStream fromWire(String name) {
    for (ToxicStream stream : values()) {
      if (stream.wireName.equals(name)) {
        return stream;
      }
    }
    throw new ApiException(400, "stream was invalid, can be either upstream or downstream");
  }
}
