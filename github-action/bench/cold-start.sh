#!/usr/bin/env bash
# Cold-start benchmark of the GitHub Action's main step (a benchmark, not a test; see docs/github-action.md).
#
#   github-action/bench/cold-start.sh [RUNS]      (default 10)
#
# Needs: a JDK 25 (BENCH_JDK, else the newest /usr/lib/jvm/*25*: the image's runtime is Java 25), Ceph RadosGW as the
# local STS (apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common), busybox and openssl
# (the image's training script serves its stand-ins with busybox httpd and openssl s_server) and /usr/bin/time
# (apt-get install -y busybox openssl time).
#
# Builds what the image holds, with the image's own scripts: the jar, the trimmed runtime (docker/jlink-runtime) and
# the AOT cache (docker/train). Then runs the main step RUNS times as the entrypoint does (docker/jvm.options, the
# cache): end to end against Ceph's STS and the runner emulation, against a stub STS, and over https; and bare
# `java -Xshare:auto -version` runs. Prints the median wall times, their ratios (target <= 4), the peak resident
# memory (target < 60 MiB) and the sizes that make up the image (target < 100 MB); and the FLOOR: the same two
# requests alone, with OkHttp and with the JDK's HttpURLConnection, each with its own AOT cache.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
jdk=${BENCH_JDK:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | sort -V | tail -1)}
[ -x "$jdk/bin/jlink" ] || { echo "needs a JDK 25: set BENCH_JDK (the image's runtime is Java 25)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time: apt-get install -y time" >&2; exit 1; }
command -v busybox >/dev/null || { echo "needs busybox (the training stand-in): apt-get install -y busybox" >&2; exit 1; }
command -v openssl >/dev/null || { echo "needs openssl (the training stand-in): apt-get install -y openssl" >&2; exit 1; }
./mvnw -B -q -pl cli -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
out=github-action/target/cold-start
rm -rf "$out" && mkdir -p "$out/app"
cp cli/target/ephemeral-credentials.jar github-action/docker/jvm.options "$out/app/"
JAVA_HOME=$jdk github-action/docker/jlink-runtime "$out/app/ephemeral-credentials.jar" "$out/jre"
JAVA=$PWD/$out/jre/bin/java APP=$PWD/$out/app TRAIN_PORT=18089 github-action/docker/train
# The floor: the step's two requests alone (ColdStartFloor), with OkHttp and with the JDK's HttpURLConnection.
mkdir "$out/floor"
"$jdk/bin/jar" cf "$out/floor/floor.jar" -C cli/target/test-classes \
  io/github/ephemeralcredentials/cli/ColdStartFloor.class
exec java -cp "cli/target/test-classes:$(cat cli/target/bench.classpath)" \
  io.github.ephemeralcredentials.cli.ColdStartBench "$out" "$runs" "$jdk/bin/java" "$(command -v java)"
