package dev.meld.crdt;

/** The replicated types, each with the one-byte tag that starts its canonical encoding. */
public enum CrdtType {
  GCOUNTER(0x01),
  PNCOUNTER(0x02),
  ORSWOT(0x03),
  LWW_REGISTER(0x04);

  private final byte tag;

  CrdtType(int tag) {
    this.tag = (byte) tag;
  }

  /** The first byte of every encoding of this type. Pinned by the golden vectors. */
  public byte tag() {
    return tag;
  }

  /** The type with {@code tag}, or null if there is none. */
  static CrdtType ofTag(byte tag) {
    for (CrdtType type : values()) {
      if (type.tag == tag) {
        return type;
      }
    }
    return null;
  }
}
