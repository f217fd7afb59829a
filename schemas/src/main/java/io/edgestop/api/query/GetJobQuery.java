package io.edgestop.api.query;

import io.edgestop.api.Api;

/** GetEdgeTranscodeJob: one job of the caller's account, answered with its {@link JobView}. */
public record GetJobQuery(Caller caller, String clusterId, String jobId) implements JobQuery {

    public GetJobQuery {
        Fields.required(caller, "caller");
        Fields.required(clusterId, "clusterId");
        Fields.required(jobId, "jobId");
    }

    @Override
    public String action() {
        return Api.GET_ACTION;
    }
}
