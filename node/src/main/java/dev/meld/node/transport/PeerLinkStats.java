package dev.meld.node.transport;

/**
 * A snapshot of what the mesh did with one peer since this transport started: its dialed link (the
 * one this node sends on) and the connections the peer dialed here (which this node receives on).
 *
 * @param connected whether the dialed link is up (handshake completed)
 * @param incarnation the peer's incarnation at its last handshake, or -1 if none completed
 * @param bytesIn frame bytes received from the peer (headers included)
 * @param bytesOut frame bytes sent to the peer (headers included)
 * @param framesIn frames received from the peer
 * @param framesOut frames sent to the peer
 * @param messagesIn peer messages received from the peer and handed to the listener
 * @param messagesOut peer messages written to the peer's connection
 * @param queuedFrames messages waiting in the peer's queue
 * @param queuedBytes what they are charged against the queue's limit
 * @param unflushedBytes bytes moved into the dialed connection that its socket has not taken yet
 *     (at most about Netty's high water mark plus one frame)
 * @param dropped messages not sent: the queue was full, or the message was too large
 * @param connects handshakes completed on dialed links (more than one means reconnects)
 * @param inboundConnections established connections the peer dialed here
 * @param lastError why the last connection with the peer failed or was refused, or empty
 */
public record PeerLinkStats(
    boolean connected,
    long incarnation,
    long bytesIn,
    long bytesOut,
    long framesIn,
    long framesOut,
    long messagesIn,
    long messagesOut,
    long queuedFrames,
    long queuedBytes,
    long unflushedBytes,
    long dropped,
    long connects,
    int inboundConnections,
    String lastError) {}
