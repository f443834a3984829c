// Drives `sessionschema serve` with the official TypeScript client, @orq-ai/node (pinned in
// package.json and its lock), as a user calls it: every operation of `orq.sessions`, and the
// errors the client raises for 401, 404 and 422. Usage: node sessions.mjs SERVER_URL API_KEY.
// Prints one JSON array, a row per call: {"operation", "expected", "got", "ok"}; exits 1 when a
// row is not ok. tests/test_serve_node.py runs it against a server it started.
import { Orq } from "@orq-ai/node";
import { OrqError } from "@orq-ai/node/models/errors/orqerror.js";

const [serverURL, apiKey] = process.argv.slice(2);
const orq = new Orq({ apiKey, serverURL });
const rows = [];
const run = Date.now().toString(36);
const project = `proj_node_${run}`;

function record(operation, expected, got, ok) {
  rows.push({ operation, expected, got, ok: Boolean(ok) });
}

// A call that must succeed: `check(value)` says whether the value is right.
async function expect(operation, expected, call, check) {
  try {
    const value = await call();
    const ok = check(value);
    record(operation, expected, ok ? "as expected" : JSON.stringify(value).slice(0, 300), ok);
    return value;
  } catch (error) {
    record(operation, expected, `${error.name}: ${String(error.message).slice(0, 300)}`, false);
    return undefined;
  }
}

// A call the server must refuse with `status`, raised by the client as its OrqError subclass.
async function refused(operation, status, call) {
  const expected = `${status}, raised as the client's APIError`;
  try {
    const value = await call();
    record(operation, expected, `no error: ${JSON.stringify(value).slice(0, 200)}`, false);
  } catch (error) {
    const ok = error instanceof OrqError && error.statusCode === status;
    let detail = "";
    try {
      const body = JSON.parse(error.body);
      detail = body.errors ? ` ${body.errors.map((e) => `${e.path} ${e.keyword}`).join(", ")}` : ` code ${body.code}`;
    } catch {}
    record(operation, expected, `${error.name} ${error.statusCode}${detail}`, ok);
  }
}

const billing = { inputCost: 0.0012, outputCost: 0.0024, totalCost: 0.0036 };
const usage = { promptTokens: 480, completionTokens: 132, totalTokens: 612 };
const full = {
  externalId: `node-${run}`,
  duration: 1240.5,
  contactIds: ["contact_1", "contact_2"],
  billing,
  usage,
  tracesCount: 3,
  tags: ["node", `node-${run}`],
  projectId: project,
  startedAt: new Date("2024-05-06T07:08:09.500Z"),
  updatedAt: new Date(Date.now() - 60_000),
  title: "Login redirect",
  client: "cursor",
  repo: "github.com/org/repo",
  kind: "THREAD_KIND_CODING_AGENT",
};

const thread = await expect("create, every optional field", "200 Thread", () => orq.sessions.create(full),
  (t) => typeof t.id === "string" && t.id.length === 24 && t.externalId === full.externalId
    && t.title === full.title && t.client === "cursor" && t.repo === full.repo
    && t.kind === full.kind && t.projectId === project && t.tracesCount === 3
    && t.startedAt.getTime() === full.startedAt.getTime() && t.billing.totalCost === 0.0036
    && t.usage.totalTokens === 612 && t.contactIds.length === 2);
const other = await expect("create, required fields only", "200 Thread", () => orq.sessions.create({
  externalId: `node-min-${run}`, duration: 1, contactIds: [], billing, usage, tracesCount: 0,
  tags: [`node-${run}`], projectId: project, updatedAt: new Date(Date.now() - 3 * 3_600_000),
  client: "web", kind: "THREAD_KIND_CONVERSATION",
}), (t) => t.title === undefined && t.repo === undefined);
const id = thread?.id ?? "missing";

await expect("get", "200 the thread as created", () => orq.sessions.get({ sessionId: id }),
  (t) => JSON.stringify(t) === JSON.stringify(thread));
await expect("update: title", "200, title replaced, the rest kept",
  () => orq.sessions.update({ sessionId: id, updateThreadRequest: { title: "Renamed" } }),
  (t) => t.title === "Renamed" && t.tags.length === 2 && t.repo === full.repo);
await expect("update: clearTags", "200, tags empty",
  () => orq.sessions.update({ sessionId: id, updateThreadRequest: { clearTags: true } }),
  (t) => t.tags.length === 0 && t.contactIds.length === 2);
await expect("update: clearContactIds", "200, contact ids empty",
  () => orq.sessions.update({ sessionId: id, updateThreadRequest: { clearContactIds: true } }),
  (t) => t.contactIds.length === 0);
await expect("update: tags again", "200, tags set",
  () => orq.sessions.update({ sessionId: id, updateThreadRequest: { tags: ["node", `node-${run}`, "again"] } }),
  (t) => t.tags.join() === `node,node-${run},again`);
await refused("update: tags with clearTags (exclusive)", 422, () => orq.sessions.update({
  sessionId: id, updateThreadRequest: { tags: ["x"], clearTags: true },
}));
await refused("update: contactIds with clearContactIds (exclusive)", 422, () => orq.sessions.update({
  sessionId: id, updateThreadRequest: { contactIds: ["c"], clearContactIds: true },
}));

const all = { interval: "SESSION_INTERVAL_ALL_TIME", projectId: project };
const ids = (page) => page.data.map((t) => t.id).sort().join();
const both = [id, other?.id].sort().join();
await expect("list: projectId", "both threads", () => orq.sessions.list({ filters: all }),
  (p) => ids(p) === both && p.hasMore === false && p.object === "list");
await expect("list: tags (every one)", "the first thread", () => orq.sessions.list({ filters: { ...all, tags: ["node", "again"] } }),
  (p) => ids(p) === id);
await expect("list: client", "the first thread", () => orq.sessions.list({ filters: { ...all, client: "cursor" } }), (p) => ids(p) === id);
await expect("list: repo", "the first thread", () => orq.sessions.list({ filters: { ...all, repo: full.repo } }), (p) => ids(p) === id);
await expect("list: kind", "the second thread", () => orq.sessions.list({ filters: { ...all, kind: "THREAD_KIND_CONVERSATION" } }), (p) => ids(p) === other?.id);
const now = Date.now();
await expect("list: startDate and endDate", "the first thread (active a minute ago)", () => orq.sessions.list({
  filters: { ...all, startDate: String(now - 2 * 60_000), endDate: String(now) },
}), (p) => ids(p) === id);
await expect("list: interval", "the first thread (the second is 3 h old)", () => orq.sessions.list({
  filters: { ...all, interval: "SESSION_INTERVAL_LAST_1_HOUR" },
}), (p) => ids(p) === id);
const first = await expect("list: limit 1, page 1", "1 thread, hasMore", () => orq.sessions.list({ filters: all, limit: 1, page: 1 }),
  (p) => p.data.length === 1 && p.hasMore === true);
await expect("list: limit 1, page 2", "the other thread, no more", () => orq.sessions.list({ filters: all, limit: 1, page: 2 }),
  (p) => p.data.length === 1 && p.hasMore === false && p.data[0].id !== first?.data[0]?.id);
await expect("list: page past the end", "empty", () => orq.sessions.list({ filters: all, limit: 1, page: 3 }),
  (p) => p.data.length === 0 && p.hasMore === false);
await refused("list: limit 201", 422, () => orq.sessions.list({ filters: all, limit: 201 }));

const expectedCounts = {
  SESSION_INTERVAL_ALL_TIME: 2, SESSION_INTERVAL_LAST_30_MINUTES: 1, SESSION_INTERVAL_LAST_1_HOUR: 1,
  SESSION_INTERVAL_LAST_6_HOURS: 2, SESSION_INTERVAL_LAST_24_HOURS: 2, SESSION_INTERVAL_LAST_3_DAYS: 2,
  SESSION_INTERVAL_LAST_7_DAYS: 2, SESSION_INTERVAL_LAST_14_DAYS: 2, SESSION_INTERVAL_LAST_1_MONTH: 2,
  SESSION_INTERVAL_LAST_3_MONTHS: 2,
};
for (const [interval, count] of Object.entries(expectedCounts)) {
  await expect(`getCount: ${interval}`, `count ${count}`,
    () => orq.sessions.getCount({ filters: { interval, projectId: project } }), (c) => c.count === count);
}
await expect("listTags", "every tag in use, in order", () => orq.sessions.listTags(),
  (tags) => ["again", "node", `node-${run}`].every((t) => tags.includes(t))
    && tags.join("\u0000") === [...tags].sort().join("\u0000"));

// Decided: the UNSPECIFIED values the TypeScript client lists are not in the contract (nor in
// the Python client's enums): the server refuses them.
await refused("create: kind THREAD_KIND_UNSPECIFIED (refused by decision)", 422,
  () => orq.sessions.create({ ...full, kind: "THREAD_KIND_UNSPECIFIED" }));
await refused("list: interval SESSION_INTERVAL_UNSPECIFIED (refused by decision)", 422,
  () => orq.sessions.list({ filters: { interval: "SESSION_INTERVAL_UNSPECIFIED" } }));
await refused("getCount: interval SESSION_INTERVAL_UNSPECIFIED (refused by decision)", 422,
  () => orq.sessions.getCount({ filters: { interval: "SESSION_INTERVAL_UNSPECIFIED" } }));
// What the client lets through and the contract refuses: a year before 0001 (RFC 3339 has four
// digits; JavaScript writes an extended year, -000010).
await refused("create: startedAt in year -10", 422,
  () => orq.sessions.create({ ...full, startedAt: new Date("-000010-01-01T00:00:00Z") }));

await refused("get: wrong key", 401, () => new Orq({ apiKey: `${apiKey}-wrong`, serverURL }).sessions.get({ sessionId: id }));
await refused("create: no key", 401, () => new Orq({ serverURL }).sessions.create(full));
await expect("delete", "204", () => orq.sessions.delete({ sessionId: id }), (v) => v === undefined);
await refused("get after delete", 404, () => orq.sessions.get({ sessionId: id }));
await refused("delete again", 404, () => orq.sessions.delete({ sessionId: id }));
await refused("update after delete", 404, () => orq.sessions.update({ sessionId: id, updateThreadRequest: { title: "x" } }));
if (other) await orq.sessions.delete({ sessionId: other.id });

console.log(JSON.stringify(rows));
process.exit(rows.every((row) => row.ok) ? 0 : 1);
