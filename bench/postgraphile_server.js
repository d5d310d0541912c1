// PostGraphile v4 serving the benchmark's database for bench/all.py (the reference server).
// Installed by the benchmark into bench/.postgraphile (ignored); run as
//   node bench/postgraphile_server.js  with DATABASE_URL, PORT, TENANT_ID in the environment.
// It connects as the application's role (no owner rights, row-level security applies) and sets
// the tenant for each request through pgSettings, as the API sets it for its transactions.
const path = require("path");
const http = require("http");
const { postgraphile } = require(path.join(__dirname, ".postgraphile", "node_modules", "postgraphile"));

const tenant = process.env.TENANT_ID;
const handler = postgraphile(process.env.DATABASE_URL, "public", {
  pgSettings: () => ({ "app.tenant_id": tenant, "app.scope": "tenant" }),
  disableQueryLog: true,
  graphiql: false,
  ignoreRBAC: false,
  setofFunctionsContainNulls: false,
  // declaration_items has a node_id column: the global object id takes another name.
  nodeIdFieldName: "globalId",
  disableDefaultMutations: true,
  retryOnInitFail: false,
});
http.createServer(handler).listen(Number(process.env.PORT), "127.0.0.1", () => {
  console.log("ready");
});
