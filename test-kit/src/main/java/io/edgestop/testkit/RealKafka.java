package io.edgestop.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real KRaft Kafka broker: declare a {@link KafkaBroker} parameter on a
 * test, lifecycle method or constructor. One broker per test class, closed after the class.
 * Which broker: see {@link RealKafkaExtension}.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealKafkaExtension.class)
public @interface RealKafka {
}
