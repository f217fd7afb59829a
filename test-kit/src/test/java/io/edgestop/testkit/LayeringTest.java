package io.edgestop.testkit;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The test kit's packages depend without cycles. It is test code itself (a JUnit extension and the brokers
 * tests run against), so the other modules' rule against test-only code does not apply here.
 */
class LayeringTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.edgestop.testkit");

    /** Each package a slice of its own (the module's root package too). */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.edgestop.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
