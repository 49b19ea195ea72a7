# Recipes for developers. Nothing here is required: README names the plain commands.
# Install just with `npm install -g rust-just` (or `cargo install just`); `just --list` shows these.

examples := "100000"

# Everything the CI runs: the tests, with the tools they need (scripts/test).
test:
    ./scripts/test

# Exactly what CI runs on a fresh clone (.ci/run, which calls scripts/test).
ci:
    ./.ci/run

# Long property runs (100,000 examples per property by default).
props EXAMPLES=examples:
    mvn -B verify -Dmeld.props.examples={{EXAMPLES}} -Dtest='*Law*,*Propert*' -Dsurefire.failIfNoSpecifiedTests=false -DskipITs

# Runs to its maxExecutions (10^7 for the decoder-level targets) or its maxDuration, whichever comes
# first (e.g. just fuzz node 'MeshFuzzTest#frames', just fuzz crdt-core
# 'CrdtCodecFuzzTest#typedDecoders'; the targets and their figures: node/README.md, "Fuzzing").
# New inputs collect in MODULE/.cifuzz-corpus/; copy the ones worth keeping into the target's Inputs dir.
# Fuzz one Jazzer target for real (just fuzz node 'MeshFuzzTest#frames').
fuzz MODULE TEST:
    JAZZER_FUZZ=1 mvn -B -pl {{MODULE}} -am test -Dtest='{{TEST}}' -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.hooks=true

# JMH benchmarks (see jmh/README.md for the exact commands behind each table).
bench *ARGS:
    mvn -B -q -pl jmh -am package -DskipTests
    java -jar jmh/target/benchmarks.jar {{ARGS}}

# Formats the sources (google-java-format through Spotless).
fmt:
    mvn -B spotless:apply

# Options pass through to meld-chaos run (chaos-bench/README.md).
# The chaos bench's default suite on a local cluster (just chaos --scenario smoke --seed 42).
chaos *ARGS:
    ./scripts/chaos {{ARGS}}

# Sets up Docker and the images first (chaos-bench/README.md, "The container backend").
# The chaos bench with each node in a container (just chaos-docker --seed 7).
chaos-docker *ARGS:
    ./scripts/chaos-docker {{ARGS}}

# A failing seed prints the command that replays it (node/SIMULATION.md).
# Deterministic simulation of a cluster over seeds (just sim, just sim 100000, just sim SEEDS=100000 START=1000).
sim SEEDS="500" START="1":
    seeds='{{SEEDS}}'; start='{{START}}'; mvn -B -q -pl node -am verify -Dtest=SimulationTest -Dsurefire.failIfNoSpecifiedTests=false -Dmeld.sim.seeds="${seeds#SEEDS=}" -Dmeld.sim.start="${start#START=}"
