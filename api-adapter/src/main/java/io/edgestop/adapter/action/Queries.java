package io.edgestop.adapter.action;

import java.time.Instant;

import io.edgestop.api.query.Caller;

/** The part of a job query that names the verified caller: what the orchestrator checks the nonce and the RAM policy against. */
final class Queries {

    private Queries() {
    }

    static Caller caller(ApiCall call) {
        return new Caller(call.caller().credential().accountId(), call.caller().credential().principal(), call.sourceIp(),
                call.secureTransport(), call.caller().credential().accessKeyId(),
                // the signature's nonce, checked again by the account's owner: a read URL replayed to another adapter is refused
                call.caller().nonce(), call.caller().requestTime(),
                // the time the read is answered as of (RAM conditions, List's 180 days), whichever instance answers
                Instant.ofEpochMilli(call.arrivalMillis()));
    }
}
