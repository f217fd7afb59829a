package io.edgestop.adapter.action;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;
import io.edgestop.api.Api;
import io.edgestop.api.query.GetJobQuery;

/** GetEdgeTranscodeJob(ClusterId, JobId): the job as the orchestrator holds it, {@code {"Job":{...}}}. */
public final class GetJobAction implements ApiAction {

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
        GetJobQuery query = new GetJobQuery(Queries.caller(call), call.params().get("ClusterId"), call.params().get("JobId"));
        return queries.get(query).thenApply(job -> Map.of("Job", JobFields.of(job)));
    }
}
