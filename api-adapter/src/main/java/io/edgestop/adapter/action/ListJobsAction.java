package io.edgestop.adapter.action;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;
import io.edgestop.api.Api;

/**
 * ListEdgeTranscodeJob: the account's jobs that the caller may list, created or last started or stopped
 * within 180 days, filtered by {@code ClusterId}, {@code Status} (0 not running, 1 running), {@code Type}
 * (the edge transcoding type, e.g. common) and {@code Keyword} (the job id exactly, or part of the name),
 * sorted by CreateTime ({@code SortBy} desc, the default, or asc), one page ({@code PageNo} from 1,
 * {@code PageSize} 1 to 100, default 10), as {@code {"JobList":{"Job":[...]},"TotalCount":n}}.
 */
public final class ListJobsAction implements ApiAction {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> JOBS = new TypeReference<>() { };

    private final JobQueryClient queries;

    public ListJobsAction(JobQueryClient queries) {
        this.queries = queries;
    }

    @Override
    public String name() {
        return Api.LIST_ACTION;
    }

    @Override
    public void validate(Params params) throws ApiException {
        JobParams.optionalInt(params, "PageNo", 1, Integer.MAX_VALUE);
        JobParams.optionalInt(params, "PageSize", 1, Api.MAX_PAGE_SIZE);
        JobParams.optionalInt(params, "Status", 0, 1);
        String sortBy = params.get("SortBy");
        if (sortBy != null && !sortBy.isEmpty() && !sortBy.trim().equalsIgnoreCase(Api.SORT_DESC)
                && !sortBy.trim().equalsIgnoreCase(Api.SORT_ASC)) {
            throw ApiException.invalidParameter("The parameter SortBy must be " + Api.SORT_DESC + " or " + Api.SORT_ASC + ".");
        }
    }

    @Override
    public CompletableFuture<Map<String, Object>> call(ApiCall call) {
        Map<String, Object> q = Queries.caller(name(), call);
        // validated: passed on as given, absent ones left out
        Map.of("clusterId", "ClusterId", "keyword", "Keyword", "status", "Status", "type", "Type", "pageNo", "PageNo",
                        "pageSize", "PageSize", "sortBy", "SortBy")
                .forEach((field, param) -> {
                    String v = call.params().get(param);
                    if (v != null && !v.isEmpty()) {
                        q.put(field, v.trim());
                    }
                });
        return queries.query(q).thenApply(answer -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("JobList", Map.of("Job", JSON.convertValue(answer.path("Jobs"), JOBS)));
            m.put("TotalCount", answer.path("TotalCount").asInt());
            return m;
        });
    }
}
