package io.edgestop.adapter.action;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;
import io.edgestop.api.Api;

/** GetEdgeTranscodeJob(ClusterId, JobId): the job as the orchestrator holds it, {@code {"Job":{...}}}. */
public final class GetJobAction implements ApiAction {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() { };

    private final JobQueryClient queries;

    public GetJobAction(JobQueryClient queries) {
        this.queries = queries;
    }

    @Override
    public String name() {
        return Api.GET_ACTION;
    }

    @Override
    public void validate(Params params) throws ApiException {
        JobParams.require(params, "ClusterId");
        JobParams.require(params, "JobId");
    }

    @Override
    public CompletableFuture<Map<String, Object>> call(ApiCall call) {
        Map<String, Object> q = Queries.caller(name(), call);
        q.put("clusterId", call.params().get("ClusterId"));
        q.put("jobId", call.params().get("JobId"));
        return queries.query(q).thenApply(answer -> Map.of("Job", JSON.convertValue(answer.path("Job"), FIELDS)));
    }
}
