package io.edgestop.testkit;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka broker handed to a test by {@link RealKafkaExtension}. Tests get their own
 * topics through {@link #uniqueTopic(String)} so that tests sharing one broker never see each
 * other's records.
 */
public abstract class KafkaBroker implements AutoCloseable {

    /**
     * An in-process broker of its own with these broker settings (for a test that needs, say, an
     * authorizer, which the shared brokers of {@link RealKafkaExtension} do not have); the caller closes it.
     */
    public static KafkaBroker inProcess(Map<String, String> brokerConfigs) {
        return InProcessKafkaBroker.start(brokerConfigs);
    }

    /** Bootstrap servers of the broker, e.g. {@code localhost:40123}. */
    public abstract String bootstrapServers();

    /** Human-readable origin: in-process, container or external. */
    public abstract String kind();

    /** A topic name that no other test uses: {@code base-<random>}. Not created. */
    public String uniqueTopic(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh prefix for a whole set of topics, e.g. {@code t3f9a1c2e.}. */
    public String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }

    /** Creates a topic (idempotent) and waits until it exists. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(Set.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Base client properties for this broker; callers add their own. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** A new admin client; the caller closes it. */
    public Admin admin() {
        return Admin.create(clientProperties());
    }

    @Override
    public abstract void close();
}
