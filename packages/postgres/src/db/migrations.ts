/**
 * Versioned schema of the PostgreSQL store: the SQLite store's migrations in PostgreSQL dialect.
 * Migration N (1-based) is MIGRATIONS[N - 1]; applied migrations are recorded in
 * `schema_migrations`. Append only: never edit a migration that has shipped.
 *
 * Differences from SQLite, and why:
 * - Times and lamports are BIGINT (epoch ms); the pool parses them to numbers.
 * - Text keys are COLLATE "C" so ordering (list cursors, tick ids) is bytewise, as in SQLite,
 *   whatever the database's default collation.
 * - Running counts (ops per status, attempt outcomes) are appended as deltas and folded in now and
 *   then, instead of one counter row updated by every claim: a hot counter row would serialize
 *   every claim and finish across all crank processes, and its update order could deadlock.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: core tables */ `
  CREATE TABLE ops (
    id TEXT COLLATE "C" PRIMARY KEY,
    action TEXT COLLATE "C" NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','running','succeeded','failed','dead','cancelled','expired')),
    schedule TEXT NOT NULL,
    next_exec BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    run INTEGER NOT NULL DEFAULT 1,
    exec_count INTEGER NOT NULL DEFAULT 0,
    max_exec INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    last_error TEXT,
    expires_at BIGINT,
    idempotency_key TEXT COLLATE "C",
    misfire TEXT NOT NULL CHECK (misfire IN ('skip','once','all')),
    missed_window_ms BIGINT,
    lease_owner TEXT,
    lease_until BIGINT,
    -- set when an expired lease was reclaimed; reported by the next claim, cleared when the run ends
    reclaimed BOOLEAN NOT NULL DEFAULT FALSE
  );
  -- The due-op lookup: only pending ops are in it, so not-yet-due backlog costs nothing per claim.
  CREATE INDEX ops_due ON ops (next_exec) WHERE status = 'pending';
  CREATE INDEX ops_lease ON ops (lease_until) WHERE status = 'running';
  CREATE UNIQUE INDEX ops_idempotency_key ON ops (idempotency_key);
  CREATE INDEX ops_created ON ops (created_at, id);
  CREATE INDEX ops_status_created ON ops (status, created_at, id);
  CREATE INDEX ops_action_created ON ops (action, created_at, id);

  -- Ops per status = op_counts + op_count_deltas. Statement triggers append one delta row per
  -- status a statement changed (no row is updated in place, so claims never queue on a counter);
  -- foldCounters moves the deltas into op_counts.
  CREATE TABLE op_counts (
    status TEXT PRIMARY KEY,
    n BIGINT NOT NULL
  );
  INSERT INTO op_counts (status, n) VALUES
    ('pending', 0), ('running', 0), ('succeeded', 0), ('failed', 0), ('dead', 0), ('cancelled', 0), ('expired', 0);
  CREATE TABLE op_count_deltas (
    id BIGSERIAL PRIMARY KEY,
    status TEXT NOT NULL,
    n BIGINT NOT NULL
  );
  CREATE FUNCTION ops_count_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO op_count_deltas (status, n) SELECT status, COUNT(*) FROM new_rows GROUP BY status;
    RETURN NULL;
  END $$;
  CREATE FUNCTION ops_count_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO op_count_deltas (status, n)
      SELECT status, SUM(d) FROM (
        SELECT status, 1 AS d FROM new_rows UNION ALL SELECT status, -1 AS d FROM old_rows
      ) t GROUP BY status HAVING SUM(d) <> 0;
    RETURN NULL;
  END $$;
  CREATE FUNCTION ops_count_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO op_count_deltas (status, n) SELECT status, -COUNT(*) FROM old_rows GROUP BY status;
    RETURN NULL;
  END $$;
  CREATE TRIGGER ops_count_insert AFTER INSERT ON ops REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ops_count_on_insert();
  CREATE TRIGGER ops_count_update AFTER UPDATE ON ops REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ops_count_on_update();
  CREATE TRIGGER ops_count_delete AFTER DELETE ON ops REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ops_count_on_delete();

  CREATE TABLE attempts (
    id BIGSERIAL PRIMARY KEY,
    op_id TEXT COLLATE "C" NOT NULL REFERENCES ops (id) ON DELETE CASCADE,
    run INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    instance TEXT NOT NULL,
    action TEXT COLLATE "C" NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    error_code TEXT,
    error TEXT,
    signature TEXT,
    latency_ms BIGINT NOT NULL
  );
  CREATE INDEX attempts_op ON attempts (op_id, run, attempt);
  CREATE INDEX attempts_outcome_ended ON attempts (outcome, ended_at);

  -- Attempt outcomes per action = attempt_totals + attempt_total_deltas (same scheme as op_counts).
  CREATE TABLE attempt_totals (
    action TEXT COLLATE "C" NOT NULL,
    outcome TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (action, outcome)
  );
  CREATE TABLE attempt_total_deltas (
    id BIGSERIAL PRIMARY KEY,
    action TEXT COLLATE "C" NOT NULL,
    outcome TEXT NOT NULL,
    n BIGINT NOT NULL
  );

  CREATE TABLE ticks (
    id TEXT COLLATE "C" PRIMARY KEY,
    instance TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    claimed INTEGER NOT NULL,
    succeeded INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    retried INTEGER NOT NULL,
    skipped_in_flight INTEGER NOT NULL
  );
  CREATE INDEX ticks_started ON ticks (started_at, id);

  CREATE TABLE instances (
    id TEXT COLLATE "C" PRIMARY KEY,
    started_at BIGINT NOT NULL,
    last_tick_at BIGINT,
    last_seen_at BIGINT NOT NULL,
    in_flight INTEGER NOT NULL
  );

  CREATE TABLE control (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    paused BOOLEAN NOT NULL DEFAULT FALSE,
    paused_at BIGINT,
    paused_by TEXT,
    halted BOOLEAN NOT NULL DEFAULT FALSE,
    halted_at BIGINT,
    halted_reason TEXT
  );
  INSERT INTO control (id) VALUES (1);

  -- No foreign key to ops: the ledger is the executor's record of what may be on chain and must
  -- survive whatever happens to the op row.
  CREATE TABLE ledger (
    op_id TEXT COLLATE "C" NOT NULL,
    run INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    signature TEXT NOT NULL,
    wire BYTEA NOT NULL,
    blockhash TEXT NOT NULL,
    last_valid_block_height BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('signed','sent','landed','failed','expired')),
    error TEXT,
    lamports BIGINT NOT NULL,
    signer TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (op_id, run, seq)
  );
  CREATE UNIQUE INDEX ledger_signature ON ledger (signature);

  CREATE TABLE spend (
    signer TEXT NOT NULL,
    day TEXT NOT NULL,
    lamports BIGINT NOT NULL,
    PRIMARY KEY (signer, day)
  );
  CREATE INDEX spend_day ON spend (day);

  CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    instance TEXT,
    kind TEXT NOT NULL,
    op_id TEXT,
    data TEXT NOT NULL
  );
  CREATE INDEX audit_kind ON audit (kind, id);

  CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
  `,
  /* 2: webhook outbox leases and dead letters; alert state */ `
  -- A claim leases an item by pushing next_attempt_at to the lease end: an item whose deliverer
  -- died becomes due again by itself. lease_owner says whose failure report still counts.
  ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
  ALTER TABLE outbox ADD COLUMN dead_at BIGINT;
  -- Dead items leave the due index, so dead letters cost the claim nothing.
  DROP INDEX outbox_pending;
  CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL;

  -- One row per alert condition; a transition is a CAS on state (see verbs/alerts.ts).
  CREATE TABLE alerts (
    key TEXT COLLATE "C" PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('firing','resolved')),
    since BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    data TEXT NOT NULL
  );
  `,
  /* 3: retention (store/prune-rules.ts): each prune statement finds its rows through an index */ `
  CREATE INDEX ops_terminal_updated ON ops (updated_at) WHERE status IN ('succeeded','failed','dead','cancelled','expired');
  CREATE INDEX attempts_ended ON attempts (ended_at);
  CREATE INDEX ledger_updated ON ledger (updated_at);
  CREATE INDEX audit_at ON audit (at);
  CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;
  `,
  /* 4: signed op intents */ `
  -- The owner's signature of the op as JSON {signer, signature, payload} (docs/security.md).
  -- TEXT, not JSONB: the signed payload inside must keep its exact bytes.
  ALTER TABLE ops ADD COLUMN intent TEXT;
  `,
  /* 5: op lifecycle: status paused, held operator requests, on_failure, retries that re-sign */ `
  ALTER TABLE ops DROP CONSTRAINT ops_status_check;
  ALTER TABLE ops ADD CONSTRAINT ops_status_check
    CHECK (status IN ('pending','running','succeeded','failed','dead','cancelled','expired','paused'));
  ALTER TABLE ops ADD COLUMN on_failure TEXT NOT NULL DEFAULT 'stop' CHECK (on_failure IN ('continue','stop'));
  -- an operator's cancel or pause waiting for the current run (which may land) to resolve
  ALTER TABLE ops ADD COLUMN after_run TEXT CHECK (after_run IN ('cancel','pause'));
  ALTER TABLE ops ADD COLUMN attempt_base INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ops ADD COLUMN ledger_floor INTEGER NOT NULL DEFAULT 0;
  INSERT INTO op_counts (status, n) VALUES ('paused', 0);
  -- the expiry sweep: only ops that can still expire are in it
  CREATE INDEX ops_expiry ON ops (expires_at) WHERE expires_at IS NOT NULL AND status IN ('pending','paused');
  `,
];
