package io.edgestop.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;

class EmptyStreamsAppTest {

    @Test
    void fanOutFiveWritesOneRecordToEachOfFiveTopicsPerInput() {
        List<String> outs = EmptyStreamsApp.Shape.ONE_HOP_X5.outputs("out");
        assertEquals(List.of("out", "out-2", "out-3", "out-4", "out-5"), outs);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "empty-x5");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(
                EmptyStreamsApp.build(EmptyStreamsApp.Shape.ONE_HOP_X5, "in", "out", OrchestratorConfig.fromMap(Map.of())), props)) {
            var in = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
            in.pipeInput(new byte[] {1}, new byte[] {7});
            in.pipeInput(new byte[] {2}, new byte[] {8});
            for (String topic : outs) {
                var out = driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                List<byte[]> values = out.readValuesToList();
                assertEquals(2, values.size(), topic);
                assertArrayEquals(new byte[] {7}, values.get(0), topic);
            }
        }
    }

    @Test
    void oneHopWritesOneRecordPerInput() {
        assertEquals(List.of("out"), EmptyStreamsApp.Shape.ONE_HOP.outputs("out"));
        assertEquals(List.of("out"), EmptyStreamsApp.Shape.TWO_HOP.outputs("out"));
    }
}
