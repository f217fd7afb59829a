package io.edgestop.adapter.action;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.edgestop.adapter.request.ApiException;
import io.edgestop.adapter.request.Params;
import io.edgestop.api.Api;
import io.edgestop.api.query.ListJobsQuery;

/**
 * ListEdgeTranscodeJob: the account's jobs that the caller may list, created or last started or stopped
 * within 180 days, filtered by {@code ClusterId}, {@code Status} (0 not running, 1 running), {@code Type}
 * (the edge transcoding type, e.g. common) and {@code Keyword} (the job id exactly, or part of the name),
 * sorted by CreateTime ({@code SortBy} desc, the default, or asc), one page ({@code PageNo} from 1,
 * {@code PageSize} 1 to 100, default 10), as {@code {"JobList":{"Job":[...]},"TotalCount":n}}.
 */
public final class ListJobsAction implements ApiAction {

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
        // validated: absent ones take Alibaba's defaults
        String status = param(call, "Status");
        String pageNo = param(call, "PageNo");
        String pageSize = param(call, "PageSize");
        ListJobsQuery.Order order = Api.SORT_ASC.equalsIgnoreCase(param(call, "SortBy"))
                ? ListJobsQuery.Order.OLDEST_FIRST : ListJobsQuery.Order.NEWEST_FIRST;
        ListJobsQuery query = new ListJobsQuery(Queries.caller(call), param(call, "ClusterId"),
                status == null ? null : Integer.parseInt(status) == 1, param(call, "Keyword"), param(call, "Type"), order,
                pageNo == null ? 1 : Integer.parseInt(pageNo), pageSize == null ? Api.DEFAULT_PAGE_SIZE : Integer.parseInt(pageSize));
        return queries.list(query).thenApply(page -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("JobList", Map.of("Job", page.jobs().stream().map(JobFields::of).toList()));
            m.put("TotalCount", page.totalCount());
            return m;
        });
    }

    /** The parameter as given, without surrounding blanks; null when absent or blank. */
    private static String param(ApiCall call, String name) {
        String v = call.params().get(name);
        return v == null || v.trim().isEmpty() ? null : v.trim();
    }
}
