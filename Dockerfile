# syntax=docker/dockerfile:1
# The GitHub Action's container (action.yml `runs.image`). It lives at the repository root because the runner builds
# an action's image with the Dockerfile's own directory as the build context, and the build needs the sources.
# Three stages: build the jar, trim a JRE to the modules it uses, then a small runtime with an AppCDS archive made
# by a training run, so the once-per-job JVM start stays close to a bare `java -version`.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY shared/pom.xml shared/
COPY github-action/pom.xml github-action/
COPY cli/pom.xml cli/
# Dependencies first, so source edits reuse this layer. Sibling modules are not installed yet: ignore their absence.
RUN mvn -B -q -pl cli -am dependency:go-offline -DexcludeGroupIds=io.github.ephemeralcredentials || true
COPY shared/src shared/src
COPY github-action/src github-action/src
COPY cli/src cli/src
RUN mvn -B -q -pl cli -am -DskipTests package \
 && cp cli/target/ephemeral-credentials.jar /ephemeral-credentials.jar

# musl JDK, so the trimmed JRE runs on Alpine.
FROM eclipse-temurin:17-jdk-alpine AS jre
COPY --from=build /ephemeral-credentials.jar /app/ephemeral-credentials.jar
# jdeps finds the statically used modules; jdk.crypto.ec (ECDHE for TLS, ES256 tokens) and jdk.crypto.cryptoki are
# reached through security providers only, and jdk.unsupported through reflection, so they are named explicitly.
RUN modules=$(jdeps --ignore-missing-deps --multi-release 17 -q --print-module-deps /app/ephemeral-credentials.jar) \
 && echo "modules: $modules" \
 && jlink --add-modules "$modules,jdk.crypto.ec,jdk.unsupported" \
      --strip-debug --no-man-pages --no-header-files --compress=1 --output /opt/jre \
 && /opt/jre/bin/java -Xshare:dump -version

FROM alpine:3.20
# No USER instruction: GitHub runs container actions as the image's default user (root) so they can write to the
# mounted workspace and file-command files.
COPY --from=jre /opt/jre /opt/jre
COPY --from=jre /app/ephemeral-credentials.jar /app/ephemeral-credentials.jar
COPY github-action/docker/run github-action/docker/post github-action/docker/train github-action/docker/jvm.options /app/
# The AppCDS archive: classes the main step loads, recorded at exit of a training run of the main step against a
# loopback endpoint (the run ends with a provider error, after loading the whole path). Same JVM, same jar path
# as at run time, or the JVM ignores the archive.
RUN chmod 0755 /app/run /app/post /app/train && /app/train && rm /app/train
ENTRYPOINT ["/app/run"]
CMD ["--help"]
