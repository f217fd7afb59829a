# edge-stop images: the operator CLI (java -jar /app/edge-stop.jar) that runs every component.
#   docker run edge-stop:dev orchestrator|adapter|edge-worker|topics|seed|tail|call ...
# Used by docker-compose.yml for every service but Kafka. The production image (the default, last stage) carries
# the launcher's jars only: no embedded broker, no Kafka Streams test driver. The development tools' image,
#   docker build --target dev-tools -t edge-stop-dev-tools:dev .
# adds them (dev, broker, console, audit); docker-compose.local.yml runs its Kafka (`broker`) from it.
#
# The base images are build arguments: where no registry serves eclipse-temurin, ops/docker/base-images
# makes local ones and docker-compose.local.yml passes their names.
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
# the whole tree (see .dockerignore): Maven needs every module the root pom lists, even to build
# only the launcher, the development tools and the modules they depend on
COPY . .
RUN ./mvnw -B -ntp -q install -DskipTests -pl dev-tools -am

FROM ${JRE_IMAGE} AS runtime
WORKDIR /app
RUN useradd --system --uid 10001 edgestop \
    && mkdir -p /var/lib/edge-stop \
    && chown edgestop /var/lib/edge-stop
USER edgestop

FROM runtime AS dev-tools
COPY --from=build /src/dev-tools/target/lib /app/lib
COPY --from=build /src/dev-tools/target/edge-stop-dev-tools.jar /app/edge-stop-dev-tools.jar
ENV EDGE_STOP_CMD="java -jar /app/edge-stop-dev-tools.jar"
ENTRYPOINT ["java", "-jar", "/app/edge-stop-dev-tools.jar"]
CMD ["help"]

FROM runtime
COPY --from=build /src/launcher/target/lib /app/lib
COPY --from=build /src/launcher/target/edge-stop.jar /app/edge-stop.jar
ENV EDGE_STOP_CMD="java -jar /app/edge-stop.jar"
ENTRYPOINT ["java", "-jar", "/app/edge-stop.jar"]
CMD ["help"]
