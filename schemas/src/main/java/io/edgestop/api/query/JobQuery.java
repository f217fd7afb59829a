package io.edgestop.api.query;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.edgestop.api.Api;

/** A read of the caller's jobs; on the wire its action names it ({@code "action":"GetEdgeTranscodeJob"}). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "action")
@JsonSubTypes({@JsonSubTypes.Type(value = GetJobQuery.class, name = Api.GET_ACTION),
        @JsonSubTypes.Type(value = ListJobsQuery.class, name = Api.LIST_ACTION)})
public sealed interface JobQuery permits GetJobQuery, ListJobsQuery {

    /** Who reads. */
    Caller caller();

    /** The RPC action the query answers: its quota, its RAM action. */
    String action();
}
