# edge-stop image: the operator CLI (java -jar /app/edge-stop.jar) that runs every component:
#   docker run edge-stop:dev orchestrator|adapter|edge-worker|topics|seed|tail|call ...
# Used by docker-compose.yml for every service but Kafka (and by docker-compose.local.yml for Kafka too).
#
# The base images are build arguments: where no registry serves eclipse-temurin, ops/docker/base-images
# makes local ones and docker-compose.local.yml passes their names.
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
# the whole tree (see .dockerignore): Maven needs every module the root pom lists, even to build
# only the launcher and the modules it depends on
COPY . .
RUN ./mvnw -B -ntp -q install -DskipTests -pl launcher -am

FROM ${JRE_IMAGE}
WORKDIR /app
COPY --from=build /src/launcher/target/lib /app/lib
COPY --from=build /src/launcher/target/edge-stop.jar /app/edge-stop.jar
RUN useradd --system --uid 10001 edgestop \
    && mkdir -p /var/lib/edge-stop \
    && chown edgestop /var/lib/edge-stop
USER edgestop
ENV EDGE_STOP_CMD="java -jar /app/edge-stop.jar"
ENTRYPOINT ["java", "-jar", "/app/edge-stop.jar"]
CMD ["help"]
