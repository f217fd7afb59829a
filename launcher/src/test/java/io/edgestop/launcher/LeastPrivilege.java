package io.edgestop.launcher;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import io.edgestop.edge.EdgeWorkerConfig;
import io.edgestop.orchestrator.kafka.ReportRelay;
import io.edgestop.topics.Topics;

/** The ACLs of the least-privilege table in docs/operations.md ("Kafka security"), one principal per component and CLI role. */
final class LeastPrivilege {

    private final List<AclBinding> acls = new ArrayList<>();

    private LeastPrivilege() {
    }

    static List<AclBinding> acls(Topics topics, String applicationId, Collection<String> clusters) {
        return acls(topics, applicationId, clusters, List.of());
    }

    /** ...and of these async producers, each the principal {@code User:<producer>}. */
    static List<AclBinding> acls(Topics topics, String applicationId, Collection<String> clusters,
                                 Collection<String> asyncProducers) {
        return acls(topics, applicationId, Map.of("User:edge", clusters), asyncProducers);
    }

    /** The ACLs, with {@code workers}: each edge worker principal and the clusters it serves. */
    static List<AclBinding> acls(Topics topics, String applicationId, Map<String, ? extends Collection<String>> workers) {
        return acls(topics, applicationId, workers, List.of());
    }

    /** The ACLs of these edge worker principals (each with the clusters it serves) and async producers. */
    static List<AclBinding> acls(Topics topics, String applicationId, Map<String, ? extends Collection<String>> workers,
                                 Collection<String> asyncProducers) {
        LeastPrivilege l = new LeastPrivilege();
        String orchestrator = "User:orchestrator";
        for (String in : List.of(topics.stopCommands(), topics.accountSettings(), topics.accountPolicies(),
                topics.jobState(), topics.verifiedReports(), topics.streamTimeTicks(), topics.jobObservations())) {
            l.topic(orchestrator, in, READ);
        }
        for (String out : List.of(topics.stopResults(), topics.audit(), topics.auditCheckpoints(), topics.deadLetter(),
                topics.jobObservations(), topics.verifiedReports(), topics.streamTimeTicks())) {
            l.topic(orchestrator, out, WRITE);
        }
        // every cluster's report topic, read by the report relay (by pattern, in its own group), which the
        // orchestrator creates with the directive topic at the cluster's first job
        l.prefixed(ResourceType.TOPIC, orchestrator, topics.jobStatusReports(""), READ, CREATE, DESCRIBE_CONFIGS);
        l.literal(ResourceType.GROUP, orchestrator, ReportRelay.groupId(applicationId), READ);
        // it creates the directive topic of a cluster it sees first, and writes every cluster's
        l.prefixed(ResourceType.TOPIC, orchestrator, topics.directives(""), CREATE, WRITE, DESCRIBE_CONFIGS);
        // Kafka Streams: its internal topics, its group, its transactions (exactly_once_v2)
        l.prefixed(ResourceType.TOPIC, orchestrator, applicationId + "-", AclOperation.ALL);
        l.literal(ResourceType.GROUP, orchestrator, applicationId, READ);
        l.prefixed(ResourceType.TRANSACTIONAL_ID, orchestrator, applicationId, WRITE, DESCRIBE);

        String adapter = "User:adapter"; // reads stop-results by assignment: no group
        l.topic(adapter, topics.stopCommands(), WRITE);
        l.topic(adapter, topics.stopResults(), READ);

        // an async producer writes its own command topic only (not stop-commands, not another producer's);
        // the orchestrator reads every async producer's
        l.prefixed(ResourceType.TOPIC, orchestrator, topics.asyncCommands(""), READ);
        for (String producer : asyncProducers) {
            l.topic("User:" + producer, topics.asyncCommands(producer), WRITE);
        }

        workers.forEach((edge, clusters) -> { // a worker principal and its clusters: it reports on them only
            for (String cluster : clusters) {
                l.topic(edge, topics.directives(cluster), READ);
                l.literal(ResourceType.GROUP, edge, EdgeWorkerConfig.defaultGroupId(topics, cluster), READ);
                l.topic(edge, topics.jobStatusReports(cluster), WRITE);
            }
        });

        String operator = "User:operator"; // edge-stop topics and edge-stop seed
        l.prefixed(ResourceType.TOPIC, operator, topics.prefix(), CREATE, DESCRIBE, DESCRIBE_CONFIGS);
        for (String seeded : List.of(topics.accountSettings(), topics.accountPolicies(), topics.jobState())) {
            l.topic(operator, seeded, WRITE);
        }

        String auditor = "User:auditor"; // edge-stop tail audit
        l.topic(auditor, topics.audit(), READ);
        l.topic(auditor, topics.auditCheckpoints(), READ);
        return List.copyOf(l.acls);
    }

    private void topic(String principal, String topic, AclOperation... operations) {
        literal(ResourceType.TOPIC, principal, topic, operations);
    }

    private void literal(ResourceType type, String principal, String name, AclOperation... operations) {
        add(new ResourcePattern(type, name, PatternType.LITERAL), principal, operations);
    }

    private void prefixed(ResourceType type, String principal, String prefix, AclOperation... operations) {
        add(new ResourcePattern(type, prefix, PatternType.PREFIXED), principal, operations);
    }

    private void add(ResourcePattern pattern, String principal, AclOperation... operations) {
        for (AclOperation op : operations) {
            acls.add(new AclBinding(pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
        }
    }
}
