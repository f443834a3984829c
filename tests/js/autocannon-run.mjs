// Runs autocannon (pinned in package.json and its lock) once, for benchmarks/service.py: reads one
// JSON object on standard input, {"url", "connections", "amount", "requests": [{"method",
// "path", "headers", "body64"}]} (each body in base64: some are not UTF-8), where each
// connection sends the requests in turn, again and again, until `amount` requests are answered; prints one JSON object: {"requests", "seconds",
// "rate", "p50", "p90", "p99", "max" (milliseconds), "statuses": {"200": n, ...}, "errors",
// "timeouts"}.
import autocannon from "autocannon";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const result = await autocannon({
  url: job.url,
  connections: job.connections,
  amount: job.amount,
  pipelining: 1,
  timeout: 60,
  requests: job.requests.map(({ body64, ...request }) =>
    body64 === undefined ? request : { ...request, body: Buffer.from(body64, "base64") }),
});
const statuses = {};
for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
  statuses[status] = stats.count;
}
const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
const seconds = result.duration;
console.log(JSON.stringify({
  requests: answered,
  seconds,
  rate: answered / seconds,
  p50: result.latency.p50,
  p90: result.latency.p90,
  p99: result.latency.p99,
  max: result.latency.max,
  statuses,
  errors: result.errors,
  timeouts: result.timeouts,
}));
