package dev.meld.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Each toxic's stage on a manual clock: what it lets through, when, and what it does to the
 * connection. The same behaviour through real sockets is in {@link ToxicsOverSocketsTest}.
 */
class StageTest {

  private final ManualPipe pipe = new ManualPipe(7);
  private final Collector sink = new Collector(pipe);
  private final StageChain chain = new StageChain(pipe, sink);

  static ToxicSpec toxic(String json) {
    return ToxicSpec.fromJson(Json.parse(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8)));
  }

  static ByteBuf chunk(int size, int salt) {
    ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(size);
    for (int i = 0; i < size; i++) {
      chunk.writeByte(i * 31 + salt);
    }
    return chunk;
  }

  @AfterAll
  static void noLeaks() {
    assertThat(RecordingLeakDetector.collectLeaks()).isEmpty();
  }

  @Test
  void latencyDelaysEveryChunkByTheLatencyWithoutQueueingThemBehindEachOther() {
    chain.add(toxic("{'type':'latency','attributes':{'latency':100}}"));
    chain.data(chunk(10, 1));
    pipe.advanceMillis(30);
    chain.data(chunk(10, 2));
    pipe.advanceMillis(69);
    assertThat(sink.size()).isZero();
    pipe.advanceMillis(1);
    assertThat(sink.arrivalMillis).containsExactly(100L);
    pipe.advanceMillis(30);
    assertThat(sink.arrivalMillis).containsExactly(100L, 130L);
  }

  @Test
  void jitterVariesTheDelayButNeverReordersChunks() {
    chain.add(toxic("{'type':'latency','attributes':{'latency':50,'jitter':40}}"));
    for (int i = 0; i < 200; i++) {
      chain.data(chunk(1, i));
      pipe.advanceMillis(1);
    }
    pipe.runAll(1000);
    byte[] bytes = sink.bytes();
    for (int i = 0; i < 200; i++) {
      assertThat(bytes[i]).as("byte %d", i).isEqualTo((byte) i);
    }
    assertThat(sink.arrivalMillis).isSorted();
    assertThat(sink.arrivalMillis.get(0)).isBetween(10L, 90L);
  }

  @Test
  void bandwidthHoldsEachPieceForItsTransmissionTime() {
    chain.add(toxic("{'type':'bandwidth','attributes':{'rate':10}}")); // 10 KB/s = 10 bytes/ms
    chain.data(chunk(5000, 0));
    pipe.advanceMillis(99);
    assertThat(sink.size()).isZero();
    pipe.advanceMillis(1);
    assertThat(sink.sizes).containsExactly(1000); // 100 ms worth of bytes
    pipe.advanceMillis(400);
    assertThat(sink.arrivalMillis).containsExactly(100L, 200L, 300L, 400L, 500L);
  }

  @Test
  void bandwidthZeroIsUnlimited() {
    chain.add(toxic("{'type':'bandwidth','attributes':{'rate':0}}"));
    chain.data(chunk(100_000, 0));
    assertThat(sink.size()).isEqualTo(100_000);
  }

  @Test
  void slowCloseDelaysOnlyTheEnd() {
    chain.add(toxic("{'type':'slow_close','attributes':{'delay':200}}"));
    chain.data(chunk(10, 0));
    chain.end();
    assertThat(sink.size()).isEqualTo(10);
    pipe.advanceMillis(199);
    assertThat(sink.ends).isZero();
    pipe.advanceMillis(1);
    assertThat(sink.ends).isOne();
  }

  @Test
  void timeoutDropsDataAndEndsTheStreamOnceTheTimeoutHasPassed() {
    chain.add(toxic("{'type':'timeout','attributes':{'timeout':300}}"));
    chain.data(chunk(10, 0));
    pipe.advanceMillis(299);
    assertThat(sink.size()).isZero();
    assertThat(sink.ends).isZero();
    assertThat(pipe.discardedBytes).isEqualTo(10);
    pipe.advanceMillis(1);
    assertThat(sink.ends).isOne();
  }

  @Test
  void timeoutZeroHoldsTheConnectionForeverUntilTheToxicIsRemoved() {
    chain.add(toxic("{'name':'hole','type':'timeout','attributes':{'timeout':0}}"));
    chain.data(chunk(10, 0));
    pipe.advanceMillis(3_600_000);
    assertThat(sink.ends).isZero();
    chain.remove("hole");
    assertThat(sink.ends).as("removal closes: the stream lost bytes").isOne();
    assertThat(sink.size()).isZero();
  }

  @Test
  void updatingATimeoutDoesNotCloseTheConnection() {
    chain.add(toxic("{'name':'hole','type':'timeout','attributes':{'timeout':0}}"));
    chain.update(toxic("{'name':'hole','type':'timeout','attributes':{'timeout':500}}"));
    assertThat(sink.ends).isZero();
    pipe.advanceMillis(500);
    assertThat(sink.ends).isOne();
  }

  /**
   * Regression: updating a timeout toxic that had swallowed bytes let the stream resume with a hole
   * in it (found by {@link StageChainLawsTest#anyChainDeliversAPrefixOfTheStream}). A stream that
   * lost bytes now ends instead.
   */
  @Test
  void updatingATimeoutThatSwallowedBytesEndsTheStreamInsteadOfResumingWithAHole() {
    chain.add(toxic("{'name':'hole','type':'timeout','attributes':{'timeout':0}}"));
    chain.data(chunk(10, 0));
    chain.update(toxic("{'name':'hole','type':'timeout','toxicity':0,'attributes':{'timeout':0}}"));
    chain.data(chunk(10, 1));
    assertThat(sink.ends).isOne();
    assertThat(sink.size()).isZero();
  }

  @Test
  void resetPeerSwallowsTheFirstDataAndResetsOnceTheTimeoutHasPassed() {
    chain.add(toxic("{'type':'reset_peer','attributes':{'timeout':100}}"));
    pipe.advanceMillis(1000);
    assertThat(pipe.aborts).as("no data, no reset").isZero();
    chain.data(chunk(10, 0));
    pipe.advanceMillis(99);
    assertThat(pipe.aborts).isZero();
    pipe.advanceMillis(1);
    assertThat(pipe.aborts).isOne();
    assertThat(pipe.reset).isTrue();
    assertThat(sink.size()).isZero();
  }

  @Test
  void resetPeerWithoutTimeoutResetsOnTheFirstData() {
    chain.add(toxic("{'type':'reset_peer','attributes':{'timeout':0}}"));
    chain.data(chunk(10, 0));
    assertThat(pipe.aborts).isOne();
    assertThat(pipe.reset).isTrue();
  }

  @Test
  void removingResetPeerAfterItSwallowedDataResetsAtOnce() {
    chain.add(toxic("{'name':'r','type':'reset_peer','attributes':{'timeout':10000}}"));
    chain.data(chunk(10, 0));
    chain.remove("r");
    assertThat(pipe.aborts).isOne();
    assertThat(pipe.idle()).isTrue();
  }

  @Test
  void limitDataPassesTheFirstBytesThenEndsTheStream() {
    chain.add(toxic("{'type':'limit_data','attributes':{'bytes':1000}}"));
    chain.data(chunk(600, 0));
    chain.data(chunk(600, 1));
    chain.data(chunk(600, 2));
    assertThat(sink.size()).isEqualTo(1000);
    assertThat(sink.ends).isOne();
    assertThat(pipe.discardedBytes).isEqualTo(800);
  }

  @Test
  void limitDataCountsAcrossAnUpdate() {
    chain.add(toxic("{'name':'cap','type':'limit_data','attributes':{'bytes':1000}}"));
    chain.data(chunk(800, 0));
    chain.update(toxic("{'name':'cap','type':'limit_data','attributes':{'bytes':1500}}"));
    chain.data(chunk(800, 1));
    assertThat(sink.size()).isEqualTo(1500);
    assertThat(sink.ends).isOne();
  }

  @Test
  void slicerCutsChunksIntoPiecesSentDelayApart() {
    chain.add(
        toxic(
            "{'type':'slicer','attributes':{'average_size':100,'size_variation':20,'delay':1000}}"));
    chain.data(chunk(1000, 0));
    pipe.runAll(100);
    assertThat(sink.bytes()).isEqualTo(bytes(chunk(1000, 0)));
    assertThat(sink.sizes).hasSizeGreaterThan(1).allMatch(size -> size <= 120);
    for (int i = 1; i < sink.arrivalMillis.size(); i++) {
      assertThat(sink.arrivalMillis.get(i) - sink.arrivalMillis.get(i - 1)).isEqualTo(1L);
    }
  }

  @Test
  void toxicityZeroNeverAppliesAndOneAlwaysDoes() {
    chain.add(toxic("{'name':'off','type':'latency','toxicity':0,'attributes':{'latency':100}}"));
    chain.data(chunk(5, 0));
    assertThat(sink.arrivalMillis).containsExactly(0L);
    chain.update(
        toxic("{'name':'off','type':'latency','toxicity':1,'attributes':{'latency':100}}"));
    chain.data(chunk(5, 0));
    pipe.advanceMillis(100);
    assertThat(sink.arrivalMillis).containsExactly(0L, 100L);
  }

  @Test
  void removingALatencyToxicDeliversWhatItHeldAtOnceAndInOrder() {
    chain.add(toxic("{'name':'slow','type':'latency','attributes':{'latency':100}}"));
    chain.data(chunk(3, 1));
    pipe.advanceMillis(50);
    chain.remove("slow");
    chain.data(chunk(3, 2));
    assertThat(sink.arrivalMillis).containsExactly(50L, 50L);
    assertThat(sink.bytes()).startsWith(bytes(chunk(3, 1)));
    assertThat(pipe.idle()).isTrue();
  }

  @Test
  void theEndOfTheStreamWaitsForQueuedData() {
    chain.add(toxic("{'type':'latency','attributes':{'latency':100}}"));
    chain.data(chunk(3, 1));
    pipe.advanceMillis(10);
    chain.end();
    pipe.advanceMillis(89);
    assertThat(sink.ends).isZero();
    pipe.advanceMillis(1);
    assertThat(sink.size()).isEqualTo(3);
    assertThat(sink.ends).isOne();
  }

  @Test
  void aToxicAddedLaterGoesAfterTheOnesBeforeIt() {
    chain.add(toxic("{'name':'a','type':'latency','attributes':{'latency':10}}"));
    chain.add(toxic("{'name':'b','type':'slow_close','attributes':{'delay':10}}"));
    assertThat(chain.names()).containsExactly("a", "b");
    chain.data(chunk(1, 0));
    chain.end(); // leaves the latency stage after the chunk, at 10 ms
    pipe.advanceMillis(20);
    assertThat(sink.endMillis).isEqualTo(20L);
  }

  @Test
  void disposingReleasesEveryHeldChunkAndStopsTheTimers() {
    chain.add(toxic("{'type':'latency','attributes':{'latency':100}}"));
    chain.data(chunk(100, 0));
    chain.dispose();
    chain.data(chunk(100, 1));
    pipe.advanceMillis(1000);
    assertThat(sink.size()).isZero();
    assertThat(RecordingLeakDetector.collectLeaks()).isEmpty();
  }

  static byte[] bytes(ByteBuf chunk) {
    byte[] copy = new byte[chunk.readableBytes()];
    chunk.readBytes(copy);
    chunk.release();
    return copy;
  }
}
