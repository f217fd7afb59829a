package io.edgestop.adapter.action;

import java.util.LinkedHashMap;
import java.util.Map;

/** The part of a job query that names the verified caller: what the orchestrator checks the nonce and the RAM policy against. */
final class Queries {

    private Queries() {
    }

    static Map<String, Object> caller(String action, ApiCall call) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("action", action);
        q.put("requestId", call.requestId());
        q.put("accountId", call.caller().credential().accountId());
        q.put("principal", call.caller().credential().principal());
        q.put("sourceIp", call.sourceIp());
        q.put("secureTransport", call.secureTransport());
        // the time the read is answered as of (RAM conditions, List's 180 days), whichever instance answers
        q.put("requestTime", call.arrivalMillis());
        // the signature's nonce, checked again by the account's owner: a read URL replayed to another adapter is refused
        q.put("accessKeyId", call.caller().credential().accessKeyId());
        q.put("nonce", call.caller().nonce());
        q.put("signedTime", call.caller().requestTime().toEpochMilli());
        return q;
    }
}
