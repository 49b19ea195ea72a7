package dev.meld.chaos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process: output, exit codes and messages. */
class MeldChaosTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return MeldChaos.execute(new PrintWriter(out), new PrintWriter(err), args);
  }

  private static String resource(String name) throws URISyntaxException {
    return Path.of(
            Objects.requireNonNull(MeldChaosTest.class.getResource("/histories/" + name)).toURI())
        .toString();
  }

  private JsonNode json() throws IOException {
    return new ObjectMapper().readTree(out.toString());
  }

  @Test
  void validHistoryExitsZeroAndPrintsTheResult() throws Exception {
    int code = run("check", "--checker", "counter", "--history", resource("counter-ok.jsonl"));
    assertThat(code).isEqualTo(MeldChaos.VALID);
    assertThat(json().get("valid").asBoolean()).isTrue();
    assertThat(json().get("reads").toString()).isEqualTo("[[1,3,3]]");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void invalidHistoryExitsOne() throws Exception {
    int code = run("check", "--checker", "counter", "--history", resource("counter-rolling.jsonl"));
    assertThat(code).isEqualTo(MeldChaos.INVALID);
    assertThat(json().get("errors").toString()).isEqualTo("[[1,5,3]]");
  }

  @Test
  void severalCheckersAreComposed() throws Exception {
    int code =
        run(
            "check",
            "--checker",
            "counter",
            "--checker",
            "pn-counter-final",
            "--history",
            resource("counter-ok.jsonl"));
    assertThat(code).isEqualTo(MeldChaos.VALID);
    assertThat(json().get("pn-counter-final").get("acceptable").toString())
        .isEqualTo("[[1,1],[3,3]]");
    assertThat(json().get("counter").get("valid").asBoolean()).isTrue();
  }

  @Test
  void keyedHistoriesAreCheckedPerKey() throws Exception {
    int code = run("check", "--checker", "set", "--history", resource("keyed-set.jsonl"));
    assertThat(code).isEqualTo(MeldChaos.INVALID);
    assertThat(json().get("failures").toString()).isEqualTo("[\"b\"]");
    assertThat(json().get("results").get("b").get("lost").toString()).isEqualTo("[2]");
  }

  @Test
  void independentOffChecksTheWholeHistory() throws Exception {
    int code =
        run(
            "check",
            "--checker",
            "set",
            "--independent",
            "off",
            "--history",
            resource("keyed-set.jsonl"));
    assertThat(code).isEqualTo(MeldChaos.INVALID);
    assertThat(json().has("results")).isFalse();
  }

  @Test
  void undecidedExitsThree() throws Exception {
    Path h = dir.resolve("never-read.jsonl");
    Files.writeString(h, "{\"type\":\"invoke\",\"process\":0,\"f\":\"add\",\"value\":1}\n");
    assertThat(run("check", "--checker", "set", "--history", h.toString()))
        .isEqualTo(MeldChaos.UNKNOWN);
    assertThat(json().get("valid").asText()).isEqualTo("unknown");
  }

  @Test
  void unknownCheckerExitsTwoWithTheKnownNames() throws Exception {
    int code = run("check", "--checker", "linearizable", "--history", resource("counter-ok.jsonl"));
    assertThat(code).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().trim())
        .isEqualTo(
            "meld-chaos check: checker: \"linearizable\""
                + " (expected: one of counter, pn-counter, pn-counter-final, set, set-full,"
                + " set-full-kept, set-removes)");
  }

  @Test
  void missingFileExitsTwo() {
    Path missing = dir.resolve("nope.jsonl");
    assertThat(run("check", "--checker", "set", "--history", missing.toString()))
        .isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString().trim())
        .isEqualTo("meld-chaos check: history: " + missing + ": no such file");
  }

  @Test
  void malformedFileExitsTwoNamingTheLine() throws IOException {
    Path h = dir.resolve("bad.jsonl");
    Files.writeString(
        h,
        "{\"type\":\"invoke\",\"process\":0,\"f\":\"add\",\"value\":1}\n"
            + "{\"type\":\"done\",\"process\":0,\"f\":\"add\"}\n");
    assertThat(run("check", "--checker", "set", "--history", h.toString()))
        .isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString().trim())
        .isEqualTo(
            "meld-chaos check: "
                + h
                + ":2: type: \"done\" (expected: one of invoke, ok, fail, info)");
  }

  @Test
  void valuesTheCheckerCannotReadExitTwo() throws IOException {
    Path h = dir.resolve("strings.jsonl");
    Files.writeString(h, "{\"type\":\"invoke\",\"process\":0,\"f\":\"add\",\"value\":\"x\"}\n");
    assertThat(run("check", "--checker", "counter", "--history", h.toString()))
        .isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString().trim())
        .isEqualTo("meld-chaos check: op 0: add value: \"x\" (expected: an integer)");
  }

  @Test
  void truncatedTailNeedsTheFlag() throws IOException {
    Path h = dir.resolve("crashed.jsonl");
    Files.writeString(
        h,
        "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n"
            + "{\"type\":\"ok\",\"process\":0,\"f\":\"read\",\"value\":0}\n{\"type\":\"inv");
    assertThat(run("check", "--checker", "counter", "--history", h.toString()))
        .isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(
            run(
                "check",
                "--checker",
                "counter",
                "--allow-truncated-tail",
                "--history",
                h.toString()))
        .isEqualTo(MeldChaos.VALID);
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("check", "--checker", "counter")).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(err.toString()).contains("Missing required option: '--history=FILE'");
    assertThat(run()).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(run("frobnicate")).isEqualTo(MeldChaos.BAD_INPUT);
    assertThat(run("check", "--checker", "set", "--independent", "maybe", "--history", "x"))
        .isEqualTo(MeldChaos.BAD_INPUT);
  }

  @Test
  void listNamesEveryCheckerAndGrudge() {
    assertThat(run("list")).isEqualTo(0);
    assertThat(out.toString())
        .contains(
            "counter", "pn-counter-final", "set-full", "set-removes", "majorities-ring", "bridge");
  }
}
