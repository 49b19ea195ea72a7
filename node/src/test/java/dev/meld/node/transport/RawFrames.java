package dev.meld.node.transport;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** Mesh frames over plain blocking streams, for test peers that are not {@link MeshTransport}s. */
final class RawFrames {

  private RawFrames() {}

  /** Reads one frame; the header is trusted only as far as a test needs. */
  static Frame read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] header = new byte[MeshFrame.HEADER_BYTES];
    data.readFully(header);
    if ((header[0] & 0xFF) != MeshFrame.MAGIC_0 || (header[1] & 0xFF) != MeshFrame.MAGIC_1) {
      throw new IOException("not a mesh frame");
    }
    int length =
        ((header[4] & 0xFF) << 24)
            | ((header[5] & 0xFF) << 16)
            | ((header[6] & 0xFF) << 8)
            | (header[7] & 0xFF);
    if (length < 0 || length > (64 << 20)) {
      throw new IOException("frame length: " + length);
    }
    byte[] payload = new byte[length];
    data.readFully(payload);
    return new Frame(header[3] & 0xFF, payload);
  }

  /**
   * Completes a handshake as the dialer of {@code dialed} on a plain socket, as a process that is
   * no node of the cluster could: no secret, any name.
   */
  static void handshakeAsDialer(
      java.net.Socket s, String cluster, dev.meld.crdt.ReplicaId self, String dialed)
      throws IOException {
    Handshake handshake =
        new Handshake(
            Handshake.Role.DIALER,
            cluster,
            self,
            dev.meld.node.peer.PeerCodec.VERSION,
            null,
            dialed,
            new byte[16]);
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    write(out, handshake.start());
    while (!handshake.done()) {
      Handshake.Step step = handshake.receive(read(in));
      if (step instanceof Handshake.Continue c) {
        write(out, c.frames());
      } else if (step instanceof Handshake.Established e) {
        write(out, e.frames());
      } else {
        throw new IOException("handshake refused: " + step);
      }
    }
  }

  static void write(OutputStream out, List<Frame> frames) throws IOException {
    for (Frame f : frames) {
      out.write(f.toBytes());
    }
    out.flush();
  }

  /** Every whole frame in {@code bytes}, in order (a trailing partial frame is ignored). */
  static List<Frame> parse(byte[] bytes) throws IOException {
    return parse(bytes, Integer.MAX_VALUE);
  }

  /**
   * Every whole frame one side sent in secret mode: its two handshake frames (HELLO, PROOF) bare,
   * every later frame followed by its {@link FrameMac} tag (skipped here).
   */
  static List<Frame> parseSealed(byte[] bytes) throws IOException {
    return parse(bytes, 2);
  }

  private static List<Frame> parse(byte[] bytes, int bareFrames) throws IOException {
    List<Frame> out = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    while (in.available() > 0) {
      try {
        out.add(read(in));
        if (out.size() > bareFrames && in.skip(FrameMac.TAG_BYTES) < FrameMac.TAG_BYTES) {
          out.remove(out.size() - 1);
          break;
        }
      } catch (EOFException partial) {
        break;
      }
    }
    return out;
  }

  /** The offsets at which each frame of {@link #parseSealed} starts in {@code bytes}. */
  static List<Integer> sealedFrameOffsets(byte[] bytes) throws IOException {
    List<Integer> offsets = new ArrayList<>();
    int at = 0;
    int n = 0;
    while (at + MeshFrame.HEADER_BYTES <= bytes.length) {
      int length =
          ((bytes[at + 4] & 0xFF) << 24)
              | ((bytes[at + 5] & 0xFF) << 16)
              | ((bytes[at + 6] & 0xFF) << 8)
              | (bytes[at + 7] & 0xFF);
      int end = at + MeshFrame.HEADER_BYTES + length + (n >= 2 ? FrameMac.TAG_BYTES : 0);
      if (end > bytes.length) {
        break;
      }
      offsets.add(at);
      at = end;
      n++;
    }
    return offsets;
  }
}
