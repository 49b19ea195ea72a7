package dev.meld.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.meld.chaos.history.Props;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The laws every scenario's schedule keeps, for any seed and fault phase length. */
class ScheduleLawsTest {

  private static final List<Scenario> ALL = Scenarios.all();

  /** Same scenario, seed and phase: the same steps and target seeds. */
  @Test
  void theSameSeedGivesTheSameSchedule() {
    Props.check(
        qt ->
            qt.forAll(integers().between(0, ALL.size() - 1), longs().all(), integers().between(1, 120_000))
                .checkAssert(
                    (i, seed, phase) -> {
                      Scenario s = ALL.get(i).withWorkloadMillis(phase + 1_000L);
                      assertThat(s.schedule(seed)).isEqualTo(s.schedule(seed));
                    }));
  }

  /**
   * Each lane runs one fault at a time: a start of nemesis X is followed, in that lane, by the
   * stop of X before anything else starts (one-offs have no stop), every step lies within the
   * phase, times never go back, and a fault started in the phase is stopped in it.
   */
  @Test
  void eachLaneAlternatesStartAndStopWithinThePhase() {
    Props.check(
        qt ->
            qt.forAll(integers().between(0, ALL.size() - 1), longs().all(), integers().between(1, 120_000))
                .checkAssert(
                    (i, seed, phase) -> {
                      Scenario s = ALL.get(i).withWorkloadMillis(phase + 1_000L);
                      Schedule schedule = s.schedule(seed);
                      // A timeline entry is a lane of its own, numbered after the lanes (big_set).
                      int timelineLanes = (int) s.timeline().stream().map(Step::lane).distinct().count();
                      assertThat(schedule.lanes()).isEqualTo(s.lanes().size() + timelineLanes);
                      for (int lane = 0; lane < schedule.lanes(); lane++) {
                        String open = null;
                        long last = 0;
                        for (Step step : schedule.lane(lane)) {
                          assertThat(step.atMillis()).isBetween(last, s.faultMillis());
                          last = step.atMillis();
                          boolean oneOff = NemesisCatalog.entry(step.nemesis()).oneOff();
                          if (step.action() == Step.Action.START) {
                            assertThat(open).as("lane %d starts while %s is on", lane, open).isNull();
                            open = oneOff ? null : step.nemesis();
                          } else {
                            assertThat(step.nemesis()).isEqualTo(open);
                            open = null;
                          }
                        }
                        assertThat(open).as("lane %d ends with %s on", lane, open).isNull();
                      }
                    }));
  }

  /** A scenario's schedule only names nemeses of its lanes, and a phase longer than its first offset holds a fault. */
  @Test
  void aScheduleUsesTheScenariosNemesesAndStrikesAtLeastOnce() {
    Props.check(
        qt ->
            qt.forAll(integers().between(0, ALL.size() - 1), longs().all())
                .checkAssert(
                    (i, seed) -> {
                      Scenario s = ALL.get(i);
                      Schedule schedule = s.schedule(seed);
                      assertThat(s.nemeses()).containsAll(schedule.nemeses());
                      assertThat(schedule.steps()).anyMatch(st -> st.action() == Step.Action.START);
                    }));
  }

  /**
   * Regression: one-offs were followed by their calm only, so a 12 s clock strobe was planned every
   * 2 s and clock_strobe ran six of them back to back (97 s instead of about 30).
   */
  @Test
  void aLongOneOffIsNotStartedAgainWhileItRuns() {
    Props.check(
        qt ->
            qt.forAll(longs().all())
                .checkAssert(
                    seed -> {
                      Schedule s = Scenarios.named("clock_strobe").schedule(seed);
                      assertThat(s.steps()).hasSize(1);
                      List<Step> wipes = Scenarios.named("wipe_replace").schedule(seed).steps();
                      for (int i = 1; i < wipes.size(); i++) {
                        assertThat(wipes.get(i).atMillis() - wipes.get(i - 1).atMillis())
                            .isGreaterThanOrEqualTo(5_000 * 3 / 4);
                      }
                    }));
  }
}
