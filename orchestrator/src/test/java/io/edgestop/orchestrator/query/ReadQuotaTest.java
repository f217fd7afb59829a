package io.edgestop.orchestrator.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.edgestop.api.Api;
import io.edgestop.orchestrator.decision.quota.QuotaLedger;

/** The reads' quota: per account and per action, the stop's sliding-minute rule, idle accounts forgotten. */
class ReadQuotaTest {

    static final long T0 = 1_780_000_000_000L;

    @Test
    void eachAccountAndActionHasItsOwnCounter() {
        ReadQuota quota = new ReadQuota(2);
        assertTrue(quota.tryAcquire("a", Api.GET_ACTION, T0).accepted());
        assertTrue(quota.tryAcquire("a", Api.GET_ACTION, T0 + 1).accepted());
        QuotaLedger.Decision third = quota.tryAcquire("a", Api.GET_ACTION, T0 + 2);
        assertFalse(third.accepted(), "third Get within the minute");
        assertEquals(60_000 - 2, third.retryAfterMs(), "the first second whose windows no longer hold T0's");
        assertTrue(quota.tryAcquire("a", Api.LIST_ACTION, T0 + 3).accepted(), "List counts apart from Get");
        assertTrue(quota.tryAcquire("b", Api.GET_ACTION, T0 + 4).accepted(), "another account");
        assertTrue(quota.tryAcquire("a", Api.GET_ACTION, T0 + 60_000).accepted(), "the minute has passed");
    }

    @Test
    void accountsQuietLongerThanTheHorizonAreForgotten() {
        ReadQuota quota = new ReadQuota(5);
        quota.tryAcquire("a", Api.GET_ACTION, T0);
        quota.tryAcquire("b", Api.GET_ACTION, T0 + 61_000);
        assertEquals(2, quota.accounts());
        quota.tryAcquire("c", Api.GET_ACTION, T0 + 200_000);
        assertEquals(2, quota.accounts(), "a is forgotten; b (139 s ago) and c are kept");
    }
}
