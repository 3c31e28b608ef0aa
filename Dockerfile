# syntax=docker/dockerfile:1
# The GitHub Action's container (action.yml `runs.image`). It lives at the repository root because the runner builds
# an action's image with the Dockerfile's own directory as the build context, and the build needs the sources.
# Three stages: build the action's jar, trim a Java 25 runtime to the modules it uses, then a small image with an AOT
# cache (JEP 483/514: the AppCDS archive's successor, classes loaded and linked ahead of time) made by a training run,
# so the once-per-job JVM start stays close to a bare `java -version`. The jar targets Java 17; the image runs it on
# 25. Every job that uses a release pulls this image (see .github/workflows/release.yml), so its layers are kept
# small: github-action/bench/cold-start.sh builds the same jar, runtime and cache with the same scripts and prints
# their compressed sizes. (This Dockerfile is not built where those figures were measured: no Docker there.)

# The jar is the same on every platform: build it once, natively, even when the image is built for another one.
FROM --platform=$BUILDPLATFORM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY shared/pom.xml shared/
COPY github-action/pom.xml github-action/
COPY service/pom.xml service/
COPY demo/pom.xml demo/
COPY cli/pom.xml cli/
# Maven reads every module the root pom lists before it selects -pl cli, so their poms must be here too.
COPY jenkins-api-stubs/pom.xml jenkins-api-stubs/
COPY jenkins-api-check/pom.xml jenkins-api-check/
COPY jenkins-plugin-typecheck/pom.xml jenkins-plugin-typecheck/
# Dependencies first, so source edits reuse this layer. Sibling modules are not installed yet: ignore their absence.
RUN mvn -B -q -pl cli -am -Paction-image dependency:go-offline -DexcludeGroupIds=io.github.ephemeralcredentials || true
COPY shared/src shared/src
COPY github-action/src github-action/src
COPY service/src service/src
COPY demo/src demo/src
COPY cli/src cli/src
# -Paction-image: the action's own jar, the CLI shrunk by ProGuard to what `action main|post` reach (cli pom; it
# reads the JDK's classes from this Temurin 17's jmods).
RUN mvn -B -q -pl cli -am -Paction-image -DskipTests package \
 && cp cli/target/ephemeral-credentials-action.jar /ephemeral-credentials-action.jar

# musl JDK, so the trimmed runtime runs on Alpine. The same script makes the runtime the cold-start bench measures.
FROM eclipse-temurin:25-jdk-alpine AS jre
COPY --from=build /ephemeral-credentials-action.jar /app/ephemeral-credentials-action.jar
COPY github-action/docker/jlink-runtime /usr/local/bin/jlink-runtime
RUN apk add --no-cache binutils && jlink-runtime /app/ephemeral-credentials-action.jar /opt/jre

FROM alpine:3.20
# No USER instruction: GitHub runs container actions as the image's default user (root) so they can write to the
# mounted workspace and file-command files.
# One layer each, in the order the bench's image-layers lists them: runtime, jar, scripts, then the training's cache.
COPY --from=jre /opt/jre /opt/jre
COPY --from=jre /app/ephemeral-credentials-action.jar /app/ephemeral-credentials-action.jar
COPY --chmod=0755 github-action/docker/run github-action/docker/post /app/
COPY github-action/docker/jvm.options /app/
# The AOT cache: what the main step loads and links, recorded by a training run of the main step against loopback
# stand-ins (token over TLS, STS; see the script). Same JVM, same jar path and flags as at run time, or the JVM
# ignores the cache. The training script is mounted, not copied, and the stand-ins' tools (openssl, busybox-extras
# for httpd) come and go in the same layer, so the image keeps none of them: the layer is the cache.
RUN --mount=type=bind,source=github-action/docker/train,target=/tmp/train \
    apk add --no-cache --virtual .training openssl busybox-extras \
 && sh /tmp/train \
 && apk del --no-cache .training
ENTRYPOINT ["/app/run"]
CMD ["--help"]
