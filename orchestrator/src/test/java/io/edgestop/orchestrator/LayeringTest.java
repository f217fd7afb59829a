package io.edgestop.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The orchestrator's packages depend one way, top to bottom: the lifecycle ({@link Orchestrator}) wires
 * everything; the job queries ({@code query}) and the Kafka clients outside the topology ({@code kafka}:
 * topic provisioning, directive topics, the ticker, the report relay) use the topology ({@code topology}:
 * its build, processors and ports), which keeps its stores through {@code state} (the command ledger,
 * pending stops, job lookup and their formats) and decides with {@code decision} (the rules, the policy
 * evaluator, the quota ledger); everything runs with {@code runtime} (settings, meters, RocksDB bounds).
 */
class LayeringTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.edgestop.orchestrator");

    @Test
    void packagesDependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("lifecycle").definedBy("io.edgestop.orchestrator")
                .layer("query").definedBy("io.edgestop.orchestrator.query..")
                .layer("kafka").definedBy("io.edgestop.orchestrator.kafka..")
                .layer("topology").definedBy("io.edgestop.orchestrator.topology..")
                .layer("state").definedBy("io.edgestop.orchestrator.state..")
                .layer("decision").definedBy("io.edgestop.orchestrator.decision..")
                .layer("runtime").definedBy("io.edgestop.orchestrator.runtime..")
                .whereLayer("lifecycle").mayNotBeAccessedByAnyLayer()
                .whereLayer("query").mayOnlyBeAccessedByLayers("lifecycle")
                .whereLayer("kafka").mayOnlyBeAccessedByLayers("lifecycle")
                .whereLayer("topology").mayOnlyBeAccessedByLayers("lifecycle", "query", "kafka")
                .whereLayer("state").mayOnlyBeAccessedByLayers("lifecycle", "query", "kafka", "topology")
                .whereLayer("decision").mayOnlyBeAccessedByLayers("lifecycle", "query", "kafka", "topology", "state")
                .whereLayer("runtime").mayOnlyBeAccessedByLayers("lifecycle", "query", "kafka", "topology", "state", "decision")
                .check(CLASSES);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.edgestop.orchestrator.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void noClassUsesKafkaStreamsInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.kafka.streams..internals..")
                .check(CLASSES);
    }
}
