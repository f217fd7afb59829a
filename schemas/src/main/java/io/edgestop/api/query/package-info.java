/**
 * The job query contract between the adapter and the orchestrators' job query endpoint ({@code POST /jobs}):
 * the queries of GetEdgeTranscodeJob and ListEdgeTranscodeJob ({@link io.edgestop.api.query.JobQuery}) and
 * their answers ({@link io.edgestop.api.query.JobView}, {@link io.edgestop.api.query.JobPage},
 * {@link io.edgestop.api.query.QueryError}) as typed values, on the wire in their own JSON
 * ({@link io.edgestop.api.query.JobQueryJson}). Alibaba's field names are not part of it: the adapter renders
 * them, as it renders every other answer.
 */
package io.edgestop.api.query;
