package dev.meld.chaos.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import dev.meld.chaos.cluster.Await;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker engine operations the container backend needs, through Testcontainers' docker client:
 * exec with exit code and output, signals, pause, start, state, and removing one run's containers
 * and networks by their label.
 */
final class DockerOps {

  /** What a command run in a container printed, and its exit code (-1: did not finish in time). */
  record ExecResult(long exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + (stderr.isBlank() ? "" : ", stderr: " + stderr.strip());
    }
  }

  /** A container's state as the engine reports it. */
  record State(boolean running, boolean paused, long exitCode, String status) {}

  private final DockerClient client;

  DockerOps(DockerClient client) {
    this.client = client;
  }

  DockerClient client() {
    return client;
  }

  ExecResult exec(String container, Duration timeout, String... command) throws InterruptedException {
    ExecCreateCmdResponse created =
        client
            .execCreateCmd(container)
            .withCmd(command)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    boolean done;
    try (ResultCallback.Adapter<Frame> callback =
        client
            .execStartCmd(created.getId())
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Frame frame) {
                    ByteArrayOutputStream to =
                        switch (frame.getStreamType()) {
                          case STDERR -> err;
                          default -> out;
                        };
                    synchronized (to) {
                      to.writeBytes(frame.getPayload());
                    }
                  }
                })) {
      done = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("exec " + List.of(command) + ": " + e, e);
    }
    Long code = done ? client.inspectExecCmd(created.getId()).exec().getExitCodeLong() : null;
    synchronized (out) {
      synchronized (err) {
        return new ExecResult(
            code == null ? -1 : code,
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8));
      }
    }
  }

  void signal(String container, String signal) {
    client.killContainerCmd(container).withSignal(signal).exec();
  }

  void start(String container) {
    client.startContainerCmd(container).exec();
  }

  void pause(String container) {
    client.pauseContainerCmd(container).exec();
  }

  void unpause(String container) {
    client.unpauseContainerCmd(container).exec();
  }

  State state(String container) {
    InspectContainerResponse.ContainerState s =
        client.inspectContainerCmd(container).exec().getState();
    return new State(
        Boolean.TRUE.equals(s.getRunning()),
        Boolean.TRUE.equals(s.getPaused()),
        s.getExitCodeLong() == null ? -1 : s.getExitCodeLong(),
        String.valueOf(s.getStatus()));
  }

  /** Waits (bounded) until the container is no longer running; true if it stopped. */
  boolean awaitStopped(String container, Duration timeout) throws InterruptedException {
    return Await.until(timeout, () -> !state(container).running());
  }

  /**
   * Removes every container, then every network, labelled with this run's prefix; never throws.
   *
   * @return what was removed and what could not be
   */
  String removeRun(String prefix) {
    List<String> done = new ArrayList<>();
    try {
      for (Container c :
          client
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(java.util.Map.of(RunPrefix.LABEL, prefix))
              .exec()) {
        try {
          client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
          done.add("container " + String.join(",", c.getNames()));
        } catch (RuntimeException e) {
          done.add("container " + c.getId() + " NOT removed: " + e.getMessage());
        }
      }
      for (Network n :
          client.listNetworksCmd().withFilter("label", List.of(RunPrefix.LABEL + "=" + prefix)).exec()) {
        try {
          client.removeNetworkCmd(n.getId()).exec();
          done.add("network " + n.getName());
        } catch (RuntimeException e) {
          done.add("network " + n.getName() + " NOT removed: " + e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      done.add("listing failed: " + e.getMessage());
    }
    return String.join("; ", done);
  }
}
