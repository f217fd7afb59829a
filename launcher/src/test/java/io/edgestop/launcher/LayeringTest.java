package io.edgestop.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.edgestop.testkit.TestOnlyCode;

/**
 * The launcher's packages depend without cycles: the commands ({@code launcher}) use the JSON view of records
 * ({@code json}), which does not use them. Nothing in it depends on test-only code (the development tools that do,
 * the audit replay on Kafka Streams' test driver, are in dev-tools).
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

    @Test
    void noProductionClassDependsOnTestCode() {
        noClasses().should().dependOnClassesThat(TestOnlyCode.CLASSES).check(CLASSES);
    }
}
