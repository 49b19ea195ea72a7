package dev.meld.chaos.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meld.chaos.cluster.NodeCopies;
import dev.meld.chaos.workload.Prefill;
import dev.meld.chaos.workload.Workloads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scenario written as a YAML file: the cluster size, the workload and its rate, the fault lanes
 * (nemeses from the {@link NemesisCatalog} with their timings) and numeric success criteria. The
 * built-in scenarios are such files too ({@code src/main/resources/scenarios/}).
 *
 * <pre>
 * name: partition_minority          # [A-Za-z0-9._-]+
 * description: one node cut off while clients write everywhere
 * workload: set                     # counter, set or set-removes
 * nodes: 3
 * rate: 40                          # client requests per second (optional: --rate)
 * prefill:                          # optional, set workloads: filled before the warm-up
 *   members: 100000                 # per set, through one node, acknowledged adds in the history
 *   sets: 1                         # the first sets of the workload (s0 ..); default 1
 * warm_up: 2s                       # workload before the first fault (default 2s)
 * faults: 10s                       # the fault phase, workload running
 * lanes:                            # side by side; each: fault, calm, fault, ... (±25 %, seeded)
 *   - nemeses: [partition-one, pause]
 *     offset: 1s
 *     fault: 3s
 *     calm: 2s
 * timeline:                         # and/or fixed steps, no jitter, each on a lane of its own
 *   - at: 6s                        # from the start of the fault phase
 *     fault: kill
 *     duration: 2s                  # then its stop (the restart); none for a one-off (wipe)
 *     targets: [n1]                 # optional: the nodes it hits (else a seeded choice)
 *   - at: 8s
 *     fault: partition-halves
 *     duration: 2s
 *     sides: [[n1], [n2, n3]]       # optional, partitions: the components
 *   - at: 1s
 *     fault: backup                 # or restore; both need targets and take no duration
 *     targets: [n2]
 *     name: before-partition        # the copy (default latest); a restore needs an earlier backup
 * criteria:                         # all must hold, beside the checkers
 *   lost: "= 0"
 *   convergence_after_heal: "<= 5s"
 *   availability: "&gt;= 0.99"
 *   p99_latency: "<= 200ms"
 * </pre>
 *
 * <p>Every problem is reported as {@code file:line: field: value (expected: ...)}: the lines come
 * from a first pass of the YAML parser that records where each field starts; the values from a
 * second pass into a tree.
 */
public final class ScenarioFile {

  /**
   * A scenario read from a file.
   *
   * @param scenario the plan, as the runners take it
   * @param rate client requests per second, or null for the command line's
   * @param criteria the numeric success criteria, in file order
   */
  public record Loaded(Scenario scenario, Double rate, List<Criterion> criteria) {
    public Loaded {
      criteria = List.copyOf(criteria);
    }
  }

  private static final Set<String> TOP =
      Set.of("name", "description", "workload", "nodes", "rate", "prefill", "warm_up", "faults", "lanes", "timeline", "criteria");
  private static final Set<String> PREFILL = Set.of("members", "sets");
  private static final Set<String> LANE = Set.of("nemeses", "offset", "fault", "calm");
  private static final Set<String> TIMED = Set.of("at", "fault", "duration", "targets", "sides", "name");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");
  /** The largest file read: scenarios are a few dozen lines. */
  static final int MAX_BYTES = 1 << 20;

  private static final YAMLFactory YAML = new YAMLFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

  private final String source;
  private final Map<String, Integer> lines;

  private ScenarioFile(String source, Map<String, Integer> lines) {
    this.source = source;
    this.lines = lines;
  }

  /** Reads a scenario file. */
  public static Loaded read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new ScenarioFileException(file.toString(), 0, "(file)", size + " bytes (expected: <= " + MAX_BYTES + ")");
    }
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Reads a scenario shipped as a resource, e.g. {@code scenarios/crash_restart.yaml}. */
  public static Loaded resource(String name) {
    try (InputStream in = ScenarioFile.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the bench's jar");
      }
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("resource " + name + ": " + e.getMessage(), e);
    }
  }

  /** Parses {@code text}; {@code source} names it in errors. */
  public static Loaded parse(String source, String text) {
    Map<String, Integer> lines = new HashMap<>();
    JsonNode root;
    try {
      try (JsonParser p = YAML.createParser(text)) {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
          if (t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY) {
            lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
          } else if (t == JsonToken.FIELD_NAME) {
            lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
          }
        }
      }
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new ScenarioFileException(source, line, "(syntax)", e.getOriginalMessage() + " (expected: YAML)");
    } catch (IOException e) {
      throw new ScenarioFileException(source, 0, "(file)", e.getMessage());
    }
    return new ScenarioFile(source, lines).scenario(root);
  }

  private Loaded scenario(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw error("", "(document)", "not a mapping (expected: name, workload, nodes, faults, lanes, ...)");
    }
    unknownFields(root, "", TOP);
    String name = text(root, "", "name");
    if (!NAME.matcher(name).matches()) {
      throw error("/name", "name", "\"" + name + "\" (expected: 1-64 of A-Z a-z 0-9 . _ -)");
    }
    String description = root.has("description") ? text(root, "", "description") : "";
    String workload = text(root, "", "workload");
    try {
      Workloads.named(workload);
    } catch (IllegalArgumentException e) {
      throw error("/workload", "workload", e.getMessage());
    }
    int nodes = integer(root, "", "nodes", 1, 16);
    Double rate = null;
    if (root.has("rate")) {
      JsonNode r = root.get("rate");
      if (!r.isNumber() || !(r.asDouble() > 0) || r.asDouble() > 10_000) {
        throw error("/rate", "rate", r + " (expected: requests per second, > 0 and <= 10000)");
      }
      rate = r.asDouble();
    }
    Prefill prefill = root.has("prefill") ? prefill(root.get("prefill"), workload) : null;
    long warmUp = root.has("warm_up") ? millis(root, "", "warm_up") : 2_000;
    long faults = millis(root, "", "faults");
    if (faults < 1) {
      throw error("/faults", "faults", "0ms (expected: > 0)");
    }
    JsonNode lanesNode = root.get("lanes");
    JsonNode timelineNode = root.get("timeline");
    if (lanesNode == null && timelineNode == null) {
      throw error("/lanes", "lanes", "missing (expected: lanes, a timeline, or both)");
    }
    if (lanesNode != null && (!lanesNode.isArray() || lanesNode.isEmpty())) {
      throw error("/lanes", "lanes", lanesNode + " (expected: a list of lanes, each with nemeses, offset, fault, calm)");
    }
    List<Lane> lanes = new ArrayList<>();
    for (int i = 0; lanesNode != null && i < lanesNode.size(); i++) {
      lanes.add(lane(lanesNode.get(i), "/lanes/" + i, "lanes[" + i + "]"));
    }
    if (timelineNode != null && (!timelineNode.isArray() || timelineNode.isEmpty())) {
      throw error("/timeline", "timeline", timelineNode + " (expected: a list of steps, each with at, fault, duration)");
    }
    List<Step> timeline = new ArrayList<>();
    List<Step> starts = new ArrayList<>();
    for (int i = 0; timelineNode != null && i < timelineNode.size(); i++) {
      List<Step> steps = timed(timelineNode.get(i), "/timeline/" + i, "timeline[" + i + "]", lanes.size() + i, faults, nodes);
      starts.add(steps.get(0));
      timeline.addAll(steps);
    }
    restoresFollowBackups(timelineNode, starts);
    List<Criterion> criteria = new ArrayList<>();
    JsonNode c = root.get("criteria");
    if (c != null) {
      if (!c.isObject()) {
        throw error("/criteria", "criteria", c + " (expected: a mapping of measure to \"<op> <number>\")");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = "criteria." + e.getKey();
        String pointer = "/criteria/" + e.getKey();
        if (!e.getValue().isTextual() && !e.getValue().isNumber()) {
          throw error(pointer, field, e.getValue() + " (expected: a string such as \"<= 5s\")");
        }
        String expr = e.getValue().isNumber() ? "= " + e.getValue().asText() : e.getValue().asText();
        try {
          criteria.add(Criterion.parse(e.getKey(), expr));
        } catch (IllegalArgumentException bad) {
          throw error(pointer, field, bad.getMessage());
        }
      }
    }
    try {
      return new Loaded(
          new Scenario(name, description, workload, nodes, lanes, warmUp, faults, timeline, prefill), rate, criteria);
    } catch (IllegalArgumentException e) {
      throw error("", "(scenario)", e.getMessage());
    }
  }

  /** {@code prefill: {members: N, sets: K}}, for a set workload with at least K sets. */
  private Prefill prefill(JsonNode p, String workload) {
    if (!p.isObject()) {
      throw error("/prefill", "prefill", p + " (expected: a mapping with members and optionally sets)");
    }
    unknownFields(p, "/prefill", PREFILL);
    int members = integer(p, "/prefill", "members", 1, Prefill.MAX_MEMBERS);
    int sets = p.has("sets") ? integer(p, "/prefill", "sets", 1, Workloads.MAX_KEYS) : 1;
    Prefill prefill = new Prefill(members, sets);
    try {
      Workloads.named(workload, prefill);
    } catch (IllegalArgumentException e) {
      String problem = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
      if (e.getMessage().startsWith("prefill.sets")) {
        throw error("/prefill/sets", "prefill.sets", problem);
      }
      throw error("/prefill", "prefill", problem);
    }
    return prefill;
  }

  private Lane lane(JsonNode lane, String pointer, String field) {
    if (!lane.isObject()) {
      throw error(pointer, field, lane + " (expected: a mapping with nemeses, offset, fault, calm)");
    }
    unknownFields(lane, pointer, LANE);
    JsonNode n = lane.get("nemeses");
    List<String> nemeses = new ArrayList<>();
    if (n != null && n.isTextual()) {
      nemeses.add(n.asText());
    } else if (n != null && n.isArray() && !n.isEmpty()) {
      for (int j = 0; j < n.size(); j++) {
        if (!n.get(j).isTextual()) {
          throw error(pointer + "/nemeses/" + j, field + ".nemeses[" + j + "]", n.get(j) + " (expected: a nemesis name)");
        }
        nemeses.add(n.get(j).asText());
      }
    } else {
      throw error(pointer + "/nemeses", field + ".nemeses",
          (n == null ? "missing" : n.toString()) + " (expected: a nemesis name or a list of them)");
    }
    for (int j = 0; j < nemeses.size(); j++) {
      String p = n.isArray() ? pointer + "/nemeses/" + j : pointer + "/nemeses";
      String f = field + ".nemeses" + (n.isArray() ? "[" + j + "]" : "");
      NemesisCatalog.Entry e;
      try {
        e = NemesisCatalog.entry(nemeses.get(j));
      } catch (IllegalArgumentException bad) {
        throw error(p, f, bad.getMessage());
      }
      if (e.copies()) {
        throw error(p, f, "\"" + e.name() + "\" (expected: a nemesis a lane may pick at random; "
            + e.name() + " is a timeline step with targets)");
      }
    }
    long offset = lane.has("offset") ? millis(lane, pointer, "offset") : 0;
    long fault = millis(lane, pointer, "fault");
    long calm = millis(lane, pointer, "calm");
    for (String k : List.of("fault", "calm")) {
      if ((k.equals("fault") ? fault : calm) < 1) {
        throw error(pointer + "/" + k, field + "." + k, "0ms (expected: >= 1ms)");
      }
    }
    return new Lane(nemeses, offset, fault, calm);
  }

  /** A timeline entry: its start at {@code at} and, unless one-off, its stop {@code duration} later. */
  private List<Step> timed(JsonNode entry, String pointer, String field, int lane, long phaseMillis, int nodes) {
    if (!entry.isObject()) {
      throw error(pointer, field, entry + " (expected: a mapping with at, fault, duration)");
    }
    unknownFields(entry, pointer, TIMED);
    String fault = text(entry, pointer, "fault");
    NemesisCatalog.Entry e;
    try {
      e = NemesisCatalog.entry(fault);
    } catch (IllegalArgumentException bad) {
      throw error(pointer + "/fault", field + ".fault", bad.getMessage());
    }
    Aim aim = aim(entry, pointer, field, e, nodes);
    long at = millis(entry, pointer, "at");
    if (at >= phaseMillis) {
      throw error(pointer + "/at", field + ".at", at + "ms (expected: within the fault phase, < " + phaseMillis + "ms)");
    }
    if (e.oneOff()) {
      if (entry.has("duration")) {
        throw error(pointer + "/duration", field + ".duration",
            entry.get("duration") + " (expected: none: " + fault + " is a one-off with no stop)");
      }
      return List.of(new Step(at, lane, fault, Step.Action.START, aim));
    }
    long duration = millis(entry, pointer, "duration");
    if (duration < 1) {
      throw error(pointer + "/duration", field + ".duration", "0ms (expected: >= 1ms)");
    }
    return List.of(
        new Step(at, lane, fault, Step.Action.START, aim),
        new Step(Math.min(phaseMillis, at + duration), lane, fault, Step.Action.STOP, aim));
  }

  /**
   * A step's {@code targets} (a name or a list) or {@code sides} (a list of lists), checked; for a
   * backup or restore also the copy's {@code name} ({@value NodeCopies#LATEST} if none is given).
   */
  private Aim aim(JsonNode entry, String pointer, String field, NemesisCatalog.Entry e, int nodes) {
    String fault = e.name();
    if (entry.has("targets") && entry.has("sides")) {
      throw error(pointer + "/sides", field + ".sides", "given beside targets (expected: targets or sides, not both)");
    }
    if (entry.has("name") && !e.copies()) {
      throw error(pointer + "/name", field + ".name",
          entry.get("name") + " (expected: none: only backup and restore steps name a copy)");
    }
    if (e.copies() && !entry.has("targets")) {
      String at = entry.has("sides") ? "sides" : "targets";
      throw error(pointer + "/" + at, field + "." + at, (entry.has("sides") ? "given" : "missing")
          + " (expected: targets: the nodes to " + (fault.equals("backup") ? "back up" : "restore") + ", e.g. [n2])");
    }
    Aim aim;
    String at;
    if (entry.has("targets")) {
      at = "targets";
      List<String> targets = names(entry.get("targets"), pointer + "/targets", field + ".targets");
      aim = e.copies() ? Aim.copy(targets, copy(entry, pointer, field)) : Aim.targets(targets);
    } else if (entry.has("sides")) {
      at = "sides";
      JsonNode s = entry.get("sides");
      if (!s.isArray() || s.isEmpty()) {
        throw error(pointer + "/sides", field + ".sides", s + " (expected: a list of lists of nodes, e.g. [[n1], [n2, n3]])");
      }
      List<List<String>> sides = new ArrayList<>();
      for (int i = 0; i < s.size(); i++) {
        if (!s.get(i).isArray()) {
          throw error(pointer + "/sides/" + i, field + ".sides[" + i + "]", s.get(i) + " (expected: a list of nodes)");
        }
        sides.add(names(s.get(i), pointer + "/sides/" + i, field + ".sides[" + i + "]"));
      }
      aim = Aim.sides(sides);
    } else {
      return Aim.NONE;
    }
    String problem = NemesisCatalog.checkAim(fault, aim, nodes);
    if (problem != null) {
      throw error(pointer + "/" + at + offending(entry.get(at), problem), field + "." + at, problem.substring(problem.indexOf(": ") + 2));
    }
    return aim;
  }

  /** A backup or restore step's copy name. */
  private String copy(JsonNode entry, String pointer, String field) {
    JsonNode v = entry.get("name");
    if (v == null) {
      return NodeCopies.LATEST;
    }
    try {
      return NodeCopies.requireName(v.isTextual() ? v.asText() : null);
    } catch (IllegalArgumentException bad) {
      throw error(pointer + "/name", field + ".name",
          v + " (expected: a copy name, 1-64 of A-Z a-z 0-9 . _ -, not starting with a dot)");
    }
  }

  /**
   * Each restore must put back a copy an earlier backup step took of the same node under the same
   * name ({@code at} strictly before, since steps at one time run in no fixed order).
   */
  private void restoresFollowBackups(JsonNode timeline, List<Step> starts) {
    for (int i = 0; i < starts.size(); i++) {
      Step restore = starts.get(i);
      if (!restore.nemesis().equals("restore")) {
        continue;
      }
      String pointer = "/timeline/" + i;
      String field = "timeline[" + i + "]";
      List<String> targets = restore.aim().targets();
      for (int j = 0; j < targets.size(); j++) {
        String node = targets.get(j);
        List<String> earlier = starts.stream()
            .filter(b -> b.nemesis().equals("backup") && b.atMillis() < restore.atMillis()
                && b.aim().targets().contains(node))
            .map(b -> b.aim().copy())
            .distinct()
            .toList();
        String copy = restore.aim().copy();
        if (earlier.contains(copy)) {
          continue;
        }
        if (earlier.isEmpty()) {
          boolean list = timeline.get(i).get("targets").isArray();
          throw error(pointer + "/targets" + (list ? "/" + j : ""), field + ".targets",
              "\"" + node + "\" (expected: a node an earlier backup step copied; no backup of "
                  + node + " before " + restore.atMillis() + "ms)");
        }
        boolean named = timeline.get(i).has("name");
        throw error(pointer + "/name", field + ".name",
            (named ? "\"" + copy + "\"" : "none, so \"" + copy + "\"")
                + " (expected: the name of a copy of " + node + " an earlier backup step took: "
                + String.join(", ", earlier) + ")");
      }
    }
  }

  /** The pointer suffix of the node a problem names (its line), or "" for the whole field. */
  private static String offending(JsonNode field, String problem) {
    for (int i = 0; field.isArray() && i < field.size(); i++) {
      JsonNode v = field.get(i);
      if (v.isTextual() && problem.contains("\"" + v.asText() + "\"")) {
        return "/" + i;
      }
      for (int j = 0; v.isArray() && j < v.size(); j++) {
        if (problem.contains("\"" + v.get(j).asText() + "\"")) {
          return "/" + i + "/" + j;
        }
      }
    }
    return "";
  }

  /** A node name or a non-empty list of them. */
  private List<String> names(JsonNode v, String pointer, String field) {
    if (v.isTextual()) {
      return List.of(v.asText());
    }
    if (!v.isArray() || v.isEmpty()) {
      throw error(pointer, field, v + " (expected: a node name or a non-empty list of them, e.g. [n1, n2])");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw error(pointer + "/" + i, field + "[" + i + "]", v.get(i) + " (expected: a node name such as n1)");
      }
      names.add(v.get(i).asText());
    }
    return names;
  }

  private void unknownFields(JsonNode node, String pointer, Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw error(pointer + "/" + f, dotted(pointer, f),
            "unknown field (expected: one of " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private String text(JsonNode node, String pointer, String f) {
    JsonNode v = node.get(f);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw error(pointer + "/" + f, dotted(pointer, f), (v == null ? "missing" : v.toString()) + " (expected: a string)");
    }
    return v.asText();
  }

  private int integer(JsonNode node, String pointer, String f, int min, int max) {
    JsonNode v = node.get(f);
    if (v == null || !v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      throw error(pointer + "/" + f, dotted(pointer, f),
          (v == null ? "missing" : v.toString()) + " (expected: an integer in " + min + ".." + max + ")");
    }
    return v.asInt();
  }

  private long millis(JsonNode node, String pointer, String f) {
    JsonNode v = node.get(f);
    Matcher m = v != null && v.isTextual() ? DURATION.matcher(v.asText().trim().toLowerCase(Locale.ROOT)) : null;
    if (m == null || !m.matches()) {
      throw error(pointer + "/" + f, dotted(pointer, f),
          (v == null ? "missing" : v.toString()) + " (expected: a duration such as 500ms, 2s or 1m)");
    }
    long n = Long.parseLong(m.group(1));
    return m.group(2).equals("ms") ? n : m.group(2).equals("s") ? n * 1000 : n * 60_000;
  }

  /** {@code lanes[0].fault} from {@code /lanes/0} and {@code fault}. */
  private static String dotted(String pointer, String f) {
    String base = pointer.isEmpty() ? "" : pointer.substring(1).replaceAll("/(\\d+)", "[$1]").replace('/', '.');
    return base.isEmpty() ? f : base + "." + f;
  }

  /** The error at the field's line, or its parent's when the field is missing. */
  private ScenarioFileException error(String pointer, String field, String problem) {
    String p = pointer;
    Integer line = lines.get(p);
    while (line == null && !p.isEmpty()) {
      p = p.substring(0, p.lastIndexOf('/'));
      line = lines.get(p);
    }
    return new ScenarioFileException(source, line == null ? 0 : line, field, problem);
  }
}
