#!/usr/bin/env bash
# Cold-start benchmark of the GitHub Action's main step (a benchmark, not a test; see docs/github-action.md).
#
#   github-action/bench/cold-start.sh [RUNS]      (default 10)
#
# Needs: a JDK 25 (BENCH_JDK, else the newest /usr/lib/jvm/*25*: the image's runtime is Java 25), Ceph RadosGW as the
# local STS (apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common), busybox and openssl
# (the image's training script serves its stand-ins with busybox httpd and openssl s_server) and /usr/bin/time
# (apt-get install -y busybox openssl time), zstd (image-layers: apt-get install -y zstd), and a JDK 17 with jmods
# as the default java (ProGuard reads the JDK's classes there; Debian's openjdk-17-jdk has them).
#
# Builds what the image holds, with the image's own scripts: the action's jar, the trimmed runtime
# (docker/jlink-runtime) and the AOT cache (docker/train), and prints the image's pull by layer (image-layers:
# compressed sizes, gzip and the zstd that releases publish). Then runs the main step RUNS times as the entrypoint
# does (docker/jvm.options, the cache): end to end against Ceph's STS and the runner emulation, against a stub STS,
# and over https; and bare `java -Xshare:auto -version` runs. Prints the median wall times, their ratios (target
# <= 4), the peak resident memory (target < 60 MiB) and the sizes that make up the image (target < 100 MB); and the
# FLOOR: the same two requests alone, with OkHttp and with the JDK's HttpURLConnection, each with its own AOT cache.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
jdk=${BENCH_JDK:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | sort -V | tail -1)}
[ -x "$jdk/bin/jlink" ] || { echo "needs a JDK 25: set BENCH_JDK (the image's runtime is Java 25)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time: apt-get install -y time" >&2; exit 1; }
command -v busybox >/dev/null || { echo "needs busybox (the training stand-in): apt-get install -y busybox" >&2; exit 1; }
command -v openssl >/dev/null || { echo "needs openssl (the training stand-in): apt-get install -y openssl" >&2; exit 1; }
command -v zstd >/dev/null || { echo "needs zstd (the image's zstd layers): apt-get install -y zstd" >&2; exit 1; }
# -Paction-image: the image's own jar, ephemeral-credentials-action.jar (ProGuard-shrunk; see the cli pom).
./mvnw -B -q -pl cli -am -Paction-image -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
out=github-action/target/cold-start
rm -rf "$out" && mkdir -p "$out/app"
cp cli/target/ephemeral-credentials-action.jar github-action/docker/jvm.options github-action/docker/run \
  github-action/docker/post "$out/app/"
JAVA_HOME=$jdk github-action/docker/jlink-runtime "$out/app/ephemeral-credentials-action.jar" "$out/jre"
JAVA=$PWD/$out/jre/bin/java APP=$PWD/$out/app TRAIN_PORT=18089 github-action/docker/train
# What pulling the image costs, layer by layer, before the timed runs.
github-action/bench/image-layers "$out"
# The floor: the step's two requests alone (ColdStartFloor), with OkHttp and with the JDK's HttpURLConnection, on
# the full jar (the image's is shrunk to what the step itself calls).
mkdir "$out/floor"
"$jdk/bin/jar" cf "$out/floor/floor.jar" -C cli/target/test-classes \
  io/github/ephemeralcredentials/cli/ColdStartFloor.class
cp cli/target/ephemeral-credentials.jar "$out/floor/"
exec java -cp "cli/target/test-classes:$(cat cli/target/bench.classpath)" \
  io.github.ephemeralcredentials.cli.ColdStartBench "$out" "$runs" "$jdk/bin/java" "$(command -v java)"
