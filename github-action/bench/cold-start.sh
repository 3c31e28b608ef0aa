#!/usr/bin/env bash
# Cold-start benchmark of the GitHub Action's main step (a benchmark, not a test; see docs/github-action.md).
#
#   github-action/bench/cold-start.sh [RUNS]      (default 10; needs Ceph RadosGW: apt-get install -y
#                                                  --no-install-recommends ceph-mon ceph-osd radosgw ceph-common)
#
# Builds the jar, starts a local STS (Ceph RadosGW) and the runner emulation, makes an AppCDS archive with a training
# run (-XX:ArchiveClassesAtExit), then runs the packaged jar's `action main` RUNS times exactly as the container's
# entrypoint does (github-action/docker/jvm.options) and a bare `java -Xshare:auto -version` RUNS times, and prints
# the median wall times, their ratio (target <= 4) and the peak resident memory (target < 60 MiB).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time: apt-get install -y time" >&2; exit 1; }
./mvnw -B -q -pl cli -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
exec java -cp "cli/target/test-classes:$(cat cli/target/bench.classpath)" \
  io.github.ephemeralcredentials.cli.ColdStartBench \
  cli/target/ephemeral-credentials.jar github-action/docker/jvm.options "$runs"
