package dev.meld.node.admin;

/**
 * How full the RESP port's client table is, as {@code /ready} and {@code /health} report it.
 *
 * @param connected clients connected now
 * @param max the most at once ({@code maxclients}); 0 when the node has no client port
 */
public record ClientTable(int connected, int max) {

  /** A node without a client port. */
  public static final ClientTable NONE = new ClientTable(0, 0);

  /** Whether a new client would be turned away. */
  public boolean full() {
    return max > 0 && connected >= max;
  }
}
