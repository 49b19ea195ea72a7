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

# JMH benchmarks (see jmh/README.md for the exact commands behind each table).
bench *ARGS:
    mvn -B -q -pl jmh -am package -DskipTests
    java -jar jmh/target/benchmarks.jar {{ARGS}}

fmt:
    mvn -B spotless:apply

# Deterministic simulation of a cluster (node/SIMULATION.md): `just sim`, `just sim 100000`,
# `just sim SEEDS=100000 START=1000`. A failing seed prints the command that replays it.
sim SEEDS="500" START="1":
    seeds='{{SEEDS}}'; start='{{START}}'; mvn -B -q -pl node -am verify -Dtest=SimulationTest -Dsurefire.failIfNoSpecifiedTests=false -Dmeld.sim.seeds="${seeds#SEEDS=}" -Dmeld.sim.start="${start#START=}"
