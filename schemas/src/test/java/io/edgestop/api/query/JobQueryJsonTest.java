package io.edgestop.api.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;

import io.edgestop.api.ApiError;
import io.edgestop.schema.JobStatus;

class JobQueryJsonTest {

    static final Caller CALLER = new Caller("1000000000000042", "acs:ram::1000000000000042:root", "10.0.0.7", true, "LTAI-k",
            "n-1", Instant.parse("2026-12-01T13:04:05Z"), Instant.parse("2026-12-01T13:04:05.250Z"));

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aQueryIsTheRecordsOwnJsonNamedByItsAction() throws IOException {
        String get = new String(JobQueryJson.write(new GetJobQuery(CALLER, "c1", "j1")), StandardCharsets.UTF_8);
        assertEquals("{\"action\":\"GetEdgeTranscodeJob\",\"caller\":{\"accountId\":\"1000000000000042\","
                + "\"principal\":\"acs:ram::1000000000000042:root\",\"sourceIp\":\"10.0.0.7\",\"secureTransport\":true,"
                + "\"accessKeyId\":\"LTAI-k\",\"nonce\":\"n-1\",\"signedAt\":\"2026-12-01T13:04:05Z\","
                + "\"arrivedAt\":\"2026-12-01T13:04:05.250Z\"},\"clusterId\":\"c1\",\"jobId\":\"j1\"}", get);
        assertEquals(new GetJobQuery(CALLER, "c1", "j1"), JobQueryJson.read(utf8(get), JobQuery.class));

        ListJobsQuery list = new ListJobsQuery(CALLER, null, false, "news", null, ListJobsQuery.Order.OLDEST_FIRST, 2, 20);
        JobQuery read = JobQueryJson.read(JobQueryJson.write(list), JobQuery.class);
        assertEquals(list, read);
        assertEquals("ListEdgeTranscodeJob", read.action());
    }

    @Test
    void anAnswerKeepsItsValuesAndLeavesOutWhatItDoesNotHold() throws IOException {
        JobView stopping = new JobView("c1", "j1", null, JobStatus.RUNNING, null, Instant.parse("2026-12-01T13:04:05.123Z"),
                null, "rtmp://d/app/s", null, "tpl-1", null, "common",
                new JobView.StopInFlight("r-1", Instant.parse("2026-12-01T14:00:00Z"), 2, Instant.parse("2026-12-01T14:00:30Z")),
                null, "r-1#2");
        JobPage page = new JobPage(List.of(stopping), 11);
        byte[] wire = JobQueryJson.write(page);
        assertEquals(page, JobQueryJson.read(wire, JobPage.class));
        String json = new String(wire, StandardCharsets.UTF_8);
        assertFalse(json.contains("null"), json);
        assertTrue(json.contains("\"status\":\"RUNNING\""), json);

        QueryError throttled = QueryError.of(ApiError.THROTTLING_USER, 1500L);
        assertEquals(throttled, JobQueryJson.read(JobQueryJson.write(throttled), QueryError.class));
        assertEquals("Request was denied due to user flow control.", throttled.message());
    }

    @Test
    void aReaderIgnoresFieldsItDoesNotKnow() throws IOException {
        String newer = "{\"code\":\"JobNotFound\",\"message\":\"m\",\"shard\":{\"x\":1},\"hint\":[1,2]}";
        assertEquals(new QueryError("JobNotFound", "m", null), JobQueryJson.read(utf8(newer), QueryError.class));
        String get = "{\"action\":\"GetEdgeTranscodeJob\",\"caller\":{\"accountId\":\"1\",\"principal\":\"p\",\"tenant\":\"t\"},"
                + "\"clusterId\":\"c1\",\"jobId\":\"j1\",\"consistency\":\"owner\"}";
        assertEquals(new GetJobQuery(new Caller("1", "p", null, false, null, null, null, null), "c1", "j1"),
                JobQueryJson.read(utf8(get), JobQuery.class));
    }

    @Test
    void aQueryWithoutItsRequiredValuesOrOfAnotherActionIsNotOne() {
        for (String invalid : List.of("{\"action\":\"GetEdgeTranscodeJob\",\"caller\":{\"accountId\":\"1\",\"principal\":\"p\"},"
                + "\"clusterId\":\"c1\"}", "{\"action\":\"GetEdgeTranscodeJob\",\"caller\":{\"principal\":\"p\"},\"clusterId\":\"c1\","
                + "\"jobId\":\"j1\"}", "{\"action\":\"ListEdgeTranscodeJob\",\"caller\":{\"accountId\":\"1\",\"principal\":\"p\"},"
                + "\"order\":\"SIDEWAYS\",\"pageNo\":1,\"pageSize\":10}", "not json")) {
            assertThrows(IOException.class, () -> JobQueryJson.read(utf8(invalid), JobQuery.class), invalid);
        }
        assertInstanceOf(InvalidTypeIdException.class, assertThrows(IOException.class, () -> JobQueryJson.read(
                utf8("{\"action\":\"StopEdgeTranscodeJob\",\"caller\":{\"accountId\":\"1\",\"principal\":\"p\"}}"), JobQuery.class)));
        assertThrows(IllegalArgumentException.class, () -> new Caller("1", "p", null, false, null, "nonce", null, null),
                "a nonce is checked in the scope of its access key");
    }

    @Test
    void theVersionIsTheMediaType() {
        assertTrue(JobQueryJson.isMediaType("application/vnd.edgestop.job-query.v1+json"));
        assertTrue(JobQueryJson.isMediaType("Application/VND.edgestop.job-query.v1+json; charset=utf-8"));
        assertFalse(JobQueryJson.isMediaType("application/json"));
        assertFalse(JobQueryJson.isMediaType("application/vnd.edgestop.job-query.v2+json"));
        assertFalse(JobQueryJson.isMediaType(null));
    }
}
