package io.edgestop.testkit;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;

/** For every module's {@code LayeringTest}: the classes only tests may use, which no production class may depend on. */
public final class TestOnlyCode {

    /** JUnit, the test kit and its brokers, Awaitility, fuzzers, Kafka Streams' test driver. */
    public static final DescribedPredicate<JavaClass> CLASSES = resideInAnyPackage("org.junit..", "io.edgestop.testkit..",
            "org.testcontainers..", "org.apache.kafka.common.test..", "org.awaitility..", "com.code_intelligence.jazzer..",
            "net.jqwik..", "org.apache.kafka.streams.test..")
            .or(nameMatching("org\\.apache\\.kafka\\.streams\\.(TopologyTestDriver|TestInputTopic|TestOutputTopic)(\\$.*)?"))
            .as("are test-only code");

    private TestOnlyCode() {
    }
}
