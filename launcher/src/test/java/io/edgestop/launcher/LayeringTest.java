package io.edgestop.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.edgestop.testkit.TestOnlyCode;

/**
 * The launcher's packages depend without cycles: the commands ({@code launcher}) use the audit tools
 * ({@code audit}), the console ({@code console}) and the JSON view of records ({@code json}); the console uses
 * the audit tools; none of them uses the commands. Nothing in it depends on test-only code but the audit replay.
 */
class LayeringTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.edgestop.launcher");

    /** Each package a slice of its own (the module's root package too). */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.edgestop.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    /**
     * The one exception is the audit what-if, which replays recorded inputs through the orchestrator's topology
     * in Kafka Streams' test driver ({@code ReplayWorld}), until the development tools leave the production
     * classpath (issue 25, modules by role).
     */
    @Test
    void noProductionClassDependsOnTestCode() {
        noClasses().that().haveNameNotMatching("io\\.edgestop\\.launcher\\.audit\\.ReplayWorld(\\$.*)?")
                .should().dependOnClassesThat(TestOnlyCode.CLASSES).check(CLASSES);
    }
}
