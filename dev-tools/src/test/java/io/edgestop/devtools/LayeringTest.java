package io.edgestop.devtools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.edgestop.testkit.TestOnlyCode;

/**
 * The development tools' packages depend without cycles: the commands ({@code devtools}) use the audit tools
 * ({@code audit}) and the console ({@code console}); the console uses the audit tools; none of them uses the
 * commands. Test-only code only in the audit replay, which runs the orchestrator's topology in Kafka Streams' test
 * driver: the reason this module stays off the production classpath (the launcher's ProductionClasspathTest).
 */
class LayeringTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.edgestop.devtools");

    /** Each package a slice of its own (the module's root package too). */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.edgestop.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void onlyTheAuditReplayDependsOnTestCode() {
        noClasses().that().haveNameNotMatching("io\\.edgestop\\.devtools\\.audit\\.ReplayWorld(\\$.*)?")
                .should().dependOnClassesThat(TestOnlyCode.CLASSES).check(CLASSES);
    }
}
