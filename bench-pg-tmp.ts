import { measurePostgresClaimThroughput } from "./packages/postgres/src/index.js";
import { startLocalPostgres } from "./packages/postgres/src/testing/start-test-postgres.js";
const srv = await startLocalPostgres();
try {
  for (const processes of [1, 3]) console.log(JSON.stringify(await measurePostgresClaimThroughput({ url: srv.url, ops: 20000, processes })));
} finally {
  await srv.stop();
}
