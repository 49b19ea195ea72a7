# Recipes for developers. Nothing here is required: README names the plain commands.

examples := "100000"

# Everything the CI runs.
test:
    ./scripts/test

ci:
    ./.ci/run

# Long property runs (100,000 examples per property by default).
props EXAMPLES=examples:
    mvn -B verify -Dmeld.props.examples={{EXAMPLES}} -Dtest='*Law*,*Propert*' -Dsurefire.failIfNoSpecifiedTests=false -DskipITs

# Fuzz one Jazzer target for real until its maxExecutions (10^7 for the decoder-level targets) or its
# maxDuration, whichever comes first (e.g. just fuzz node 'MeshFuzzTest#frames', just fuzz crdt-core
# 'CrdtCodecFuzzTest#typedDecoders'; the targets and their figures: node/README.md, "Fuzzing").
# New inputs collect in MODULE/.cifuzz-corpus/; copy the ones worth keeping into the target's Inputs dir.
fuzz MODULE TEST:
    JAZZER_FUZZ=1 mvn -B -pl {{MODULE}} -am test -Dtest='{{TEST}}' -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.hooks=true

# JMH benchmarks (see jmh/README.md for the exact commands behind each table).
bench *ARGS:
    mvn -B -q -pl jmh -am package -DskipTests
    java -jar jmh/target/benchmarks.jar {{ARGS}}

fmt:
    mvn -B spotless:apply

# The chaos bench's default suite on a local cluster (chaos-bench/README.md); options pass through,
# e.g. `just chaos --scenario smoke --seed 42`.
chaos *ARGS:
    ./scripts/chaos {{ARGS}}

# The chaos bench on containers (sets up Docker and the images first; chaos-bench/README.md,
# "The container backend"), e.g. `just chaos-docker --seed 7`.
chaos-docker *ARGS:
    ./scripts/chaos-docker {{ARGS}}

# Deterministic simulation of a cluster (node/SIMULATION.md): `just sim`, `just sim 100000`,
# `just sim SEEDS=100000 START=1000`. A failing seed prints the command that replays it.
sim SEEDS="500" START="1":
    seeds='{{SEEDS}}'; start='{{START}}'; mvn -B -q -pl node -am verify -Dtest=SimulationTest -Dsurefire.failIfNoSpecifiedTests=false -Dmeld.sim.seeds="${seeds#SEEDS=}" -Dmeld.sim.start="${start#START=}"
