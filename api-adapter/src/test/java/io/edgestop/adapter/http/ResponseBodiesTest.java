package io.edgestop.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The body shapes and content types Alibaba's clients parse. */
class ResponseBodiesTest {

    @Test
    void anXmlSuccessIsAnsweredWithAlibabasExactXmlContentType() {
        assertEquals("text/xml;charset=utf-8", ResponseBodies.contentType(true));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><StopEdgeTranscodeJobResponse><RequestId>R</RequestId>"
                + "<JobId>a&amp;b</JobId></StopEdgeTranscodeJobResponse>", ResponseBodies.success("StopEdgeTranscodeJob", "R", Map.of("JobId", "a&b"), true));
        assertEquals("application/json;charset=utf-8", ResponseBodies.contentType(false));
        assertEquals("{\"RequestId\":\"R\",\"JobId\":\"j\"}", ResponseBodies.success("StopEdgeTranscodeJob", "R", Map.of("JobId", "j"), false));
    }

    @Test
    void aListIsRepeatedElementsInXmlAndAnArrayInJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("JobList", Map.of("Job", List.of(Map.of("JobId", "a"), Map.of("JobId", "b"))));
        fields.put("TotalCount", 2);
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListEdgeTranscodeJobResponse><RequestId>R</RequestId>"
                + "<JobList><Job><JobId>a</JobId></Job><Job><JobId>b</JobId></Job></JobList><TotalCount>2</TotalCount>"
                + "</ListEdgeTranscodeJobResponse>", ResponseBodies.success("ListEdgeTranscodeJob", "R", fields, true));
        assertEquals("{\"RequestId\":\"R\",\"JobList\":{\"Job\":[{\"JobId\":\"a\"},{\"JobId\":\"b\"}]},\"TotalCount\":2}",
                ResponseBodies.success("ListEdgeTranscodeJob", "R", fields, false));
    }

    @Test
    void anErrorIsTheFiveFieldJsonObject() {
        assertEquals("{\"RequestId\":\"R\",\"HostId\":\"h\",\"Code\":\"JobNotFound\",\"Message\":\"m\","
                + "\"Recommend\":\"Check ClusterId and JobId; the job must belong to the caller's account.\"}",
                ResponseBodies.error("R", "h", "JobNotFound", "m", false));
    }

    @Test
    void anXmlErrorIsTheFiveFieldErrorDocument() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>R</RequestId><HostId>h</HostId>"
                + "<Code>InvalidParameter</Code><Message>a &lt;b&gt; &amp; c</Message>"
                + "<Recommend>Correct the parameter named in Message.</Recommend></Error>",
                ResponseBodies.error("R", "h", "InvalidParameter", "a <b> & c", true));
    }
}
