package dev.meld.chaos.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.chaos.checker.Simulation.Kind;
import dev.meld.chaos.history.History;
import dev.meld.chaos.history.Op;
import dev.meld.chaos.history.Props;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The laws of the set checkers over histories of a correct set. */
class SetPropertiesTest {

  /** Law: a correct grow-only set is valid for {@code set}, and never lost for {@code set-full}. */
  @Test
  void correctSetIsValid() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(1, 6), integers().between(0, 80))
                .checkAssert(
                    (seed, processes, steps) -> {
                      History h = Simulation.run(Kind.SET, seed, processes, steps);
                      assertThat(new SetChecker().check(h).valid()).isEqualTo(Validity.TRUE);
                      CheckResult full = new SetFullChecker(false).check(h);
                      assertThat(full.valid()).isNotEqualTo(Validity.FALSE);
                      assertThat(full.get("lost-count")).isEqualTo(0);
                      assertThat(full.get("duplicated-count")).isEqualTo(0);
                    }));
  }

  /** Law: dropping an acknowledged element from the last read is caught as lost by both. */
  @Test
  void acknowledgedElementMissingFromTheLastReadIsLost() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(1, 6), integers().between(0, 80))
                .checkAssert(
                    (seed, processes, steps) -> {
                      History h = Simulation.run(Kind.SET, seed, processes, steps);
                      List<Object> acked = new ArrayList<>();
                      h.stream()
                          .filter(op -> op.isOk() && op.f().equals("add"))
                          .forEach(op -> acked.add(op.value()));
                      if (acked.isEmpty()) {
                        return;
                      }
                      Object victim = acked.get(new Random(seed).nextInt(acked.size()));
                      int last = h.size() - 1;
                      List<Object> read = new ArrayList<>((List<?>) h.get(last).value());
                      read.remove(victim);
                      History broken = Simulation.withValue(h, last, read);
                      CheckResult set = new SetChecker().check(broken);
                      assertThat(set.valid()).isEqualTo(Validity.FALSE);
                      assertThat(set.get("lost")).isEqualTo(List.of(victim));
                      CheckResult full = new SetFullChecker(false).check(broken);
                      assertThat(full.valid()).isEqualTo(Validity.FALSE);
                      assertThat(full.get("lost")).isEqualTo(List.of(victim));
                    }));
  }

  /** Law: a correct set with removes is valid for {@code set-removes}. */
  @Test
  void correctSetWithRemovesIsValid() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(1, 6), integers().between(0, 80))
                .checkAssert(
                    (seed, processes, steps) -> {
                      History h = Simulation.run(Kind.SET_WITH_REMOVES, seed, processes, steps);
                      CheckResult r = new SetRemovesChecker().check(h);
                      assertThat(r.valid()).as(r.toJson()).isEqualTo(Validity.TRUE);
                    }));
  }

  /**
   * Law: an element nobody added, or an element doubled, in a final read is caught as PHANTOM or
   * DUPLICATE.
   */
  @Test
  void phantomAndDuplicateElementsAreCaught() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(1, 6), integers().between(0, 80))
                .checkAssert(
                    (seed, processes, steps) -> {
                      History h = Simulation.run(Kind.SET_WITH_REMOVES, seed, processes, steps);
                      Random random = new Random(seed);
                      int position = h.size() - 1 - 2 * random.nextInt(processes);
                      Op read = h.get(position);
                      List<Object> phantom = new ArrayList<>((List<?>) read.value());
                      phantom.add(random.nextInt(phantom.size() + 1), 1000L);
                      CheckResult r =
                          new SetRemovesChecker().check(Simulation.withValue(h, position, phantom));
                      assertThat(r.valid()).isEqualTo(Validity.FALSE);
                      assertThat(r.get("phantom")).isEqualTo(List.of(1000L));
                      List<?> elements = (List<?>) read.value();
                      if (!elements.isEmpty()) {
                        List<Object> doubled = new ArrayList<>(elements);
                        doubled.add(elements.get(random.nextInt(elements.size())));
                        CheckResult d =
                            new SetRemovesChecker()
                                .check(Simulation.withValue(h, position, doubled));
                        assertThat(d.valid()).isEqualTo(Validity.FALSE);
                        assertThat(d.get("duplicated-count")).isEqualTo(1);
                      }
                    }));
  }

  /** Law: dropping an element present in the final state from one final read is caught. */
  @Test
  void elementMissingFromOneFinalReadIsLostUnlessARemoveExcusesIt() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(1, 6), integers().between(0, 80))
                .checkAssert(
                    (seed, processes, steps) -> {
                      History h = Simulation.run(Kind.SET_WITH_REMOVES, seed, processes, steps);
                      int last = h.size() - 1;
                      List<?> finalState = (List<?>) h.get(last).value();
                      for (Object e : finalState) {
                        boolean acked =
                            h.stream()
                                .anyMatch(
                                    op ->
                                        op.isOk() && op.f().equals("add") && op.value().equals(e));
                        boolean removed =
                            h.stream()
                                .anyMatch(
                                    op ->
                                        op.isInvoke()
                                            && op.f().equals("remove")
                                            && op.value().equals(e));
                        if (acked && !removed) {
                          List<Object> read = new ArrayList<>(finalState);
                          read.remove(e);
                          CheckResult r =
                              new SetRemovesChecker().check(Simulation.withValue(h, last, read));
                          assertThat(r.get("lost")).isEqualTo(List.of(e));
                        }
                      }
                    }));
  }

  /**
   * Law: an element whose acknowledged remove followed every add of it, put back into a final read,
   * is caught as RESURRECTED.
   */
  @Test
  void removedElementReappearingIsResurrected() {
    Props.check(
        qt ->
            qt.forAll(longs().all(), integers().between(1, 6), integers().between(0, 80))
                .checkAssert(
                    (seed, processes, steps) -> {
                      History h = Simulation.run(Kind.SET_WITH_REMOVES, seed, processes, steps);
                      int last = h.size() - 1;
                      for (long e = 0; e < 6; e++) {
                        if (((List<?>) h.get(last).value()).contains(e)
                            || !removedAfterEveryAdd(h, e)) {
                          continue;
                        }
                        List<Object> read = new ArrayList<>((List<?>) h.get(last).value());
                        read.add(e);
                        CheckResult r =
                            new SetRemovesChecker().check(Simulation.withValue(h, last, read));
                        assertThat(r.get("resurrected")).isEqualTo(List.of(e));
                      }
                    }));
  }

  private static boolean removedAfterEveryAdd(History h, long e) {
    for (Op remove : h) {
      if (remove.isInvoke()
          && remove.f().equals("remove")
          && remove.value().equals(e)
          && h.completion(remove).map(Op::isOk).orElse(false)
          && h.stream()
              .filter(op -> op.isInvoke() && op.f().equals("add") && op.value().equals(e))
              .allMatch(
                  add ->
                      h.completion(add)
                          .map(c -> c.isFail() || (c.isOk() && c.index() < remove.index()))
                          .orElse(false))) {
        return true;
      }
    }
    return false;
  }
}
