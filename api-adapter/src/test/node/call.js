'use strict';
// Calls StopEdgeTranscodeJob through Alibaba's Node runtime (@alicloud/openapi-client callApi,
// style RPC) once per case. Cases come as a JSON array on stdin; one JSON result per case goes to
// stdout as a JSON array. OpenApiClientNodeTest owns the cases and the expectations.
//
// A case (see OpenApiCase.java): {id, endpoint, accessKeyId, accessKeySecret, signature: "v3"|"v2",
//   method, format: "JSON"|"XML", action?, version?, reqBodyType?, query, body?, headers}
// A result: {id, outcome: "OK <JobId>" or the client's err.code}
const OpenApi = require('@alicloud/openapi-client');
const { RuntimeOptions } = require('@alicloud/tea-util');
const TeaXml = require('@alicloud/tea-xml').default;

async function call(c) {
  const config = new OpenApi.Config({
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    endpoint: c.endpoint,
    protocol: 'HTTP',
    regionId: 'cn-shanghai',
  });
  if (c.signature === 'v2') {
    config.signatureAlgorithm = 'v2';
  }
  const client = new OpenApi.default(config);
  const xml = c.format === 'XML';
  const params = new OpenApi.Params({
    action: c.action || 'StopEdgeTranscodeJob',
    version: c.version || '2016-11-01',
    protocol: 'HTTP',
    pathname: '/',
    method: c.method,
    authType: 'AK',
    style: 'RPC',
    // the runtime parses only JSON bodies itself: an XML answer is read as a string
    bodyType: xml ? 'string' : 'json',
    reqBodyType: c.reqBodyType || 'formData',
  });
  const query = Object.assign({}, c.query, xml ? { Format: 'XML' } : {});
  const request = new OpenApi.OpenApiRequest({ query, headers: c.headers });
  if (c.body) {
    request.body = c.body;
  }
  const runtime = new RuntimeOptions({ autoretry: false, readTimeout: 30000, connectTimeout: 5000 });
  try {
    const r = await client.callApi(params, request, runtime);
    const body = xml ? TeaXml.parseXml(r.body, null).StopEdgeTranscodeJobResponse : r.body;
    if (!/^[0-9A-F-]{36}$/.test(String(body.RequestId))) {
      return { id: c.id, outcome: 'no RequestId in ' + JSON.stringify(body) };
    }
    return { id: c.id, outcome: 'OK ' + body.JobId };
  } catch (err) {
    return { id: c.id, outcome: err.code === undefined ? 'NoCode: ' + err.message : err.code };
  }
}

async function main() {
  const input = require('fs').readFileSync(0, 'utf8');
  const results = [];
  for (const c of JSON.parse(input)) {
    results.push(await call(c));
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e));
  process.exit(1);
});
