package io.edgestop.adapter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.edgestop.testkit.TestOnlyCode;

/**
 * The adapter's packages depend one way: the wiring ({@link ApiAdapter}, {@link AdapterConfig}) on the
 * HTTP endpoint ({@code http}: Jetty handler, parsing, rendering), which calls the actions ({@code action}:
 * Stop, Get, List), which use the verified caller ({@code auth}: signatures, credentials, the caller gate),
 * and all of them what every layer knows of a request ({@code request}: its parameters and its error answer).
 * The reply path over Kafka ({@code kafka}) serves the actions, TLS ({@code tls}) the wiring; the signing
 * client ({@code client}) uses {@code auth} and nothing in the server uses it.
 */
class LayeringTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.edgestop.adapter");

    @Test
    void packagesDependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("wiring").definedBy("io.edgestop.adapter")
                .layer("http").definedBy("io.edgestop.adapter.http..")
                .layer("action").definedBy("io.edgestop.adapter.action..")
                .layer("kafka").definedBy("io.edgestop.adapter.kafka..")
                .layer("auth").definedBy("io.edgestop.adapter.auth..")
                .layer("request").definedBy("io.edgestop.adapter.request..")
                .layer("tls").definedBy("io.edgestop.adapter.tls..")
                .layer("client").definedBy("io.edgestop.adapter.client..")
                .whereLayer("wiring").mayNotBeAccessedByAnyLayer()
                .whereLayer("http").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("action").mayOnlyBeAccessedByLayers("wiring", "http")
                .whereLayer("kafka").mayOnlyBeAccessedByLayers("wiring", "http", "action")
                .whereLayer("auth").mayOnlyBeAccessedByLayers("wiring", "http", "action", "client")
                .whereLayer("request").mayOnlyBeAccessedByLayers("wiring", "http", "action", "auth")
                .whereLayer("tls").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("client").mayNotBeAccessedByAnyLayer()
                .check(CLASSES);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.edgestop.adapter.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void noProductionClassDependsOnTestCode() {
        noClasses().should().dependOnClassesThat(TestOnlyCode.CLASSES).check(CLASSES);
    }
}
