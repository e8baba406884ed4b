-- Foundation: settings, structures, people, memberships, accounts and roles, sessions, tokens,
-- login throttling, the outbox, uploaded files, background jobs and the audit log.
-- Written once for both databases: TIMESTAMPTZ becomes TIMESTAMP and BYTEA becomes BLOB on
-- SQLite (see migrate.go). Identifiers are made by the application (internal/id).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE structures (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL, -- folded name: sorting without case or accents
    search_key       TEXT NOT NULL, -- folded name, commune and postcode: search
    finess           TEXT UNIQUE,
    siret            TEXT UNIQUE,
    ref              TEXT UNIQUE,   -- the `ref` column of an imported file, when it has no FINESS nor SIRET
    region_code      TEXT NOT NULL,
    departement_code TEXT NOT NULL,
    commune          TEXT NOT NULL DEFAULT '',
    postcode         TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    size_band        TEXT NOT NULL DEFAULT '', -- CPTS only: t1..t4
    stage            TEXT NOT NULL DEFAULT '', -- CPTS only
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX structures_region ON structures (region_code, departement_code, kind);
CREATE INDEX structures_name ON structures (name_key);

CREATE TABLE people (
    id         TEXT PRIMARY KEY,
    civility   TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL,
    last_name  TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    email      TEXT UNIQUE, -- lower case
    phone      TEXT NOT NULL DEFAULT '',
    profession TEXT NOT NULL,
    rpps       TEXT UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_name ON people (name_key);

CREATE TABLE memberships (
    id           TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    structure_id TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    status       TEXT NOT NULL, -- confirmed, or pending until a manager confirms a declared role
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (person_id, structure_id, role)
);
CREATE INDEX memberships_structure ON memberships (structure_id);

CREATE TABLE accounts (
    id                TEXT PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE, -- lower case
    display_name      TEXT NOT NULL,
    password_hash     TEXT NOT NULL DEFAULT '', -- argon2id PHC string; empty: cannot log in with a password
    person_id         TEXT REFERENCES people (id) ON DELETE SET NULL,
    email_verified_at TIMESTAMPTZ,
    disabled_at       TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

-- A grant gives an account a role, within a scope: a région code (regional viewer, partner),
-- a structure id (programme manager: their training organisation), a cohort or committee id
-- (later issues); empty for admin and candidate.
CREATE TABLE grants (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    scope      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (account_id, role, scope)
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY, -- SHA-256 of the cookie's token: a leaked table opens no session
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

CREATE TABLE login_attempts (
    id         TEXT PRIMARY KEY,
    email      TEXT NOT NULL,
    ip         TEXT NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    succeeded  BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

-- Mail is written here inside the transaction that decides it, and sent by a worker that
-- claims each message first, so that two instances never send the same one.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    dedupe_key      TEXT UNIQUE, -- a message that must go once (a reminder) carries a key
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    status          TEXT NOT NULL, -- pending, sent, failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_by      TEXT NOT NULL DEFAULT '',
    claimed_until   TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE files (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BYTEA NOT NULL,
    account_id   TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

-- Background work (imports, later exports) that any instance may pick up.
CREATE TABLE jobs (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    status         TEXT NOT NULL, -- queued, running, done, failed
    payload        TEXT NOT NULL, -- JSON
    result         TEXT NOT NULL DEFAULT '', -- JSON
    progress_done  INTEGER NOT NULL DEFAULT 0,
    progress_total INTEGER NOT NULL DEFAULT 0,
    attempts       INTEGER NOT NULL DEFAULT 0,
    claimed_by     TEXT NOT NULL DEFAULT '',
    claimed_until  TIMESTAMPTZ,
    account_id     TEXT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ
);
CREATE INDEX jobs_due ON jobs (status, created_at);

CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    account_id   TEXT, -- no foreign key: the log outlives the accounts it names
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    details      TEXT NOT NULL DEFAULT '', -- JSON
    ip           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, at);
