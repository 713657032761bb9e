/**
 * Versioned schema of the SQLite store. Migration N (1-based) is MIGRATIONS[N - 1]; applied
 * migrations are recorded in `schema_migrations` and mirrored in `PRAGMA user_version`.
 * Append only: never edit a migration that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: core tables */ `
  CREATE TABLE ops (
    id TEXT PRIMARY KEY,
    action TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','running','succeeded','failed','dead','cancelled','expired')),
    schedule TEXT NOT NULL,
    next_exec INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    run INTEGER NOT NULL DEFAULT 1,
    exec_count INTEGER NOT NULL DEFAULT 0,
    max_exec INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    last_error TEXT,
    expires_at INTEGER,
    idempotency_key TEXT,
    misfire TEXT NOT NULL CHECK (misfire IN ('skip','once','all')),
    missed_window_ms INTEGER,
    lease_owner TEXT,
    lease_until INTEGER,
    -- set when an expired lease was reclaimed; reported by the next claim, cleared when the run ends
    reclaimed INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  -- The due-op lookup: only pending ops are in it, so not-yet-due backlog costs nothing per claim.
  CREATE INDEX ops_due ON ops (next_exec) WHERE status = 'pending';
  CREATE INDEX ops_lease ON ops (lease_until) WHERE status = 'running';
  CREATE UNIQUE INDEX ops_idempotency_key ON ops (idempotency_key);
  CREATE INDEX ops_created ON ops (created_at, id);
  CREATE INDEX ops_status_created ON ops (status, created_at, id);
  CREATE INDEX ops_action_created ON ops (action, created_at, id);

  -- Ops per status, kept by triggers so stats reads 7 rows instead of counting the table.
  CREATE TABLE op_counts (
    status TEXT PRIMARY KEY,
    n INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  INSERT INTO op_counts (status, n) VALUES
    ('pending', 0), ('running', 0), ('succeeded', 0), ('failed', 0), ('dead', 0), ('cancelled', 0), ('expired', 0);
  CREATE TRIGGER ops_count_insert AFTER INSERT ON ops BEGIN
    UPDATE op_counts SET n = n + 1 WHERE status = NEW.status;
  END;
  CREATE TRIGGER ops_count_update AFTER UPDATE OF status ON ops WHEN OLD.status <> NEW.status BEGIN
    UPDATE op_counts SET n = n - 1 WHERE status = OLD.status;
    UPDATE op_counts SET n = n + 1 WHERE status = NEW.status;
  END;
  CREATE TRIGGER ops_count_delete AFTER DELETE ON ops BEGIN
    UPDATE op_counts SET n = n - 1 WHERE status = OLD.status;
  END;

  CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    op_id TEXT NOT NULL REFERENCES ops (id) ON DELETE CASCADE,
    run INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    instance TEXT NOT NULL,
    action TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    error_code TEXT,
    error TEXT,
    signature TEXT,
    latency_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX attempts_op ON attempts (op_id, run, attempt);
  CREATE INDEX attempts_outcome_ended ON attempts (outcome, ended_at);

  -- Running counts of attempt outcomes per action, kept in the same transaction as the attempt
  -- rows, so stats never has to count the whole history.
  CREATE TABLE attempt_totals (
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (action, outcome)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE ticks (
    id TEXT PRIMARY KEY,
    instance TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    claimed INTEGER NOT NULL,
    succeeded INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    retried INTEGER NOT NULL,
    skipped_in_flight INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX ticks_started ON ticks (started_at, id);

  CREATE TABLE instances (
    id TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    last_tick_at INTEGER,
    last_seen_at INTEGER NOT NULL,
    in_flight INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE control (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    paused INTEGER NOT NULL DEFAULT 0,
    paused_at INTEGER,
    paused_by TEXT,
    halted INTEGER NOT NULL DEFAULT 0,
    halted_at INTEGER,
    halted_reason TEXT
  ) STRICT;
  INSERT INTO control (id) VALUES (1);

  -- No foreign key to ops: the ledger is the executor's record of what may be on chain and must
  -- survive whatever happens to the op row.
  CREATE TABLE ledger (
    op_id TEXT NOT NULL,
    run INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    signature TEXT NOT NULL,
    wire BLOB NOT NULL,
    blockhash TEXT NOT NULL,
    last_valid_block_height INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('signed','sent','landed','failed','expired')),
    error TEXT,
    lamports INTEGER NOT NULL,
    signer TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (op_id, run, seq)
  ) STRICT;
  CREATE UNIQUE INDEX ledger_signature ON ledger (signature);

  CREATE TABLE spend (
    signer TEXT NOT NULL,
    day TEXT NOT NULL,
    lamports INTEGER NOT NULL,
    PRIMARY KEY (signer, day)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX spend_day ON spend (day);

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    instance TEXT,
    kind TEXT NOT NULL,
    op_id TEXT,
    data TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_kind ON audit (kind, id);

  -- Reserved for signed webhooks (alerts); its verbs come with the alerting issue.
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
  `,
  /* 2: webhook outbox leases and dead letters; alert state */ `
  -- A claim leases an item by pushing next_attempt_at to the lease end: an item whose deliverer
  -- died becomes due again by itself. lease_owner says whose failure report still counts.
  ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
  ALTER TABLE outbox ADD COLUMN dead_at INTEGER;
  -- Dead items leave the due index, so dead letters cost the claim nothing.
  DROP INDEX outbox_pending;
  CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL;

  -- One row per alert condition; a transition is a CAS on state (see alerts.ts).
  CREATE TABLE alerts (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('firing','resolved')),
    since INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    data TEXT NOT NULL
  ) STRICT;
  `,
];
