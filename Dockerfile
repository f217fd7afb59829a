# edge-stop image: the operator CLI (java -jar /app/edge-stop.jar) that runs every component:
#   docker run edge-stop:dev orchestrator|adapter|edge-worker|topics|seed|tail|call ...
# Used by docker-compose.yml for every service but Kafka.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# the wrapper and poms first, so that a source change does not download Maven and plugins again
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY schemas schemas
COPY test-kit test-kit
COPY orchestrator orchestrator
COPY api-adapter api-adapter
COPY edge-worker edge-worker
COPY launcher launcher
RUN ./mvnw -B -ntp -q install -DskipTests

FROM eclipse-temurin:17-jre
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
