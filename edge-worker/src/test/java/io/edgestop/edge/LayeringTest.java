package io.edgestop.edge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.edgestop.testkit.TestOnlyCode;

/**
 * The edge worker's packages depend without cycles, and nothing in it depends on test-only code.
 */
class LayeringTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.edgestop.edge");

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
