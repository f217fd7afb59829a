package io.edgestop.orchestrator;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.RamPolicy;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * A command that passed the account-level steps (nonce, parameters, quota), carrying what the
 * job-level steps need: the account settings and the calling principal's policies as of the
 * command's timestamp, and the quota figures for the audit record. Crosses the internal
 * repartition topic (command re-keyed from accountId to clusterId/jobId).
 */
record CheckedCommand(StopCommand command, AccountSettings settings, AccountPolicies policies,
                      Integer quotaCount, int quotaLimit) {

    /** Keeps only the calling principal's policies (the rest of the account's set is not needed downstream). */
    static AccountPolicies forPrincipal(AccountPolicies all, String principal) {
        if (all == null) {
            return null;
        }
        List<RamPolicy> own = principal == null || all.getPrincipals() == null ? null : all.getPrincipals().get(principal);
        return AccountPolicies.newBuilder()
                .setAccountId(all.getAccountId())
                .setRevision(all.getRevision())
                .setPrincipals(own == null ? Map.of() : Map.of(principal, own))
                .build();
    }

    static Serde<CheckedCommand> serde() {
        AvroSerde<StopCommand> commands = AvroSerdes.stopCommand();
        AvroSerde<AccountSettings> settings = AvroSerdes.accountSettings();
        AvroSerde<AccountPolicies> policies = AvroSerdes.accountPolicies();
        Serializer<CheckedCommand> ser = (topic, c) -> c == null ? null : Bin.write(out -> {
            out.writeByte(1);
            Bin.bytes(out, commands.serialize(topic, c.command()));
            Bin.bytes(out, settings.serialize(topic, c.settings()));
            Bin.bytes(out, policies.serialize(topic, c.policies()));
            out.writeInt(c.quotaCount() == null ? -1 : c.quotaCount());
            out.writeInt(c.quotaLimit());
        });
        Deserializer<CheckedCommand> de = (topic, data) -> Bin.read(data, in -> {
            in.readByte();
            StopCommand command = commands.deserialize(topic, Bin.bytes(in));
            AccountSettings s = settings.deserialize(topic, Bin.bytes(in));
            AccountPolicies p = policies.deserialize(topic, Bin.bytes(in));
            int count = in.readInt();
            int limit = in.readInt();
            return new CheckedCommand(command, s, p, count < 0 ? null : count, limit);
        });
        return Serdes.serdeFrom(ser, de);
    }
}
