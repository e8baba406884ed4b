-- Programmes, cohorts, calls for applications and applications (issue 3). Civil dates
-- (a cohort's start, a deployment's date) are TEXT 'YYYY-MM-DD': the same on both databases.

CREATE TABLE programmes (
    id                   TEXT PRIMARY KEY,
    code                 TEXT NOT NULL UNIQUE, -- short code used in receipts: AMG, DCCS…
    title                TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    carrier_id           TEXT NOT NULL REFERENCES structures (id), -- the training organisation that runs it
    audience_governance  BOOLEAN NOT NULL,
    audience_coordinator BOOLEAN NOT NULL,
    target_kinds         TEXT NOT NULL, -- structure kinds, comma-separated
    duration_months      INTEGER NOT NULL,
    days                 INTEGER NOT NULL,
    certification        TEXT NOT NULL, -- none, rncp
    rncp_level           INTEGER NOT NULL DEFAULT 0,
    rncp_code            TEXT NOT NULL DEFAULT '',
    accessibility        TEXT NOT NULL DEFAULT '',
    contact_name         TEXT NOT NULL DEFAULT '',
    contact_email        TEXT NOT NULL DEFAULT '',
    contact_phone        TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX programmes_carrier ON programmes (carrier_id);

CREATE TABLE programme_partners (
    programme_id TEXT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    structure_id TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    PRIMARY KEY (programme_id, structure_id)
);

CREATE TABLE programme_modules (
    id           TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    themes       TEXT NOT NULL DEFAULT '',
    hours        INTEGER NOT NULL
);
CREATE INDEX programme_modules_programme ON programme_modules (programme_id, position);

CREATE TABLE programme_blocks (
    id           TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    code         TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL
);
CREATE INDEX programme_blocks_programme ON programme_blocks (programme_id, position);

CREATE TABLE programme_deployments (
    programme_id TEXT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    region_code  TEXT NOT NULL,
    status       TEXT NOT NULL, -- launched, observing, not_started
    since        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (programme_id, region_code)
);

CREATE TABLE cohorts (
    id           TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    region_code  TEXT NOT NULL,
    label        TEXT NOT NULL,
    capacity     INTEGER NOT NULL,
    org_cap      INTEGER NOT NULL, -- learners per organisation while enough organisations apply
    org_max      INTEGER NOT NULL DEFAULT 0, -- hard maximum per organisation; 0: none
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    places       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX cohorts_programme ON cohorts (programme_id);

CREATE TABLE calls (
    id                 TEXT PRIMARY KEY,
    cohort_id          TEXT NOT NULL REFERENCES cohorts (id),
    opens_at           TIMESTAMPTZ NOT NULL,
    closes_at          TIMESTAMPTZ NOT NULL,
    published          BOOLEAN NOT NULL,
    kinds              TEXT NOT NULL DEFAULT '', -- allowed structure kinds, comma-separated; empty: any
    region_code        TEXT NOT NULL DEFAULT '', -- the structure's région; empty: any
    role_requirement   TEXT NOT NULL DEFAULT '', -- governance, coordinator, or empty
    must_be_attached   BOOLEAN NOT NULL,
    min_stage          TEXT NOT NULL DEFAULT '',
    intro              TEXT NOT NULL DEFAULT '',
    consent_processing TEXT NOT NULL DEFAULT '',
    consent_retention  TEXT NOT NULL DEFAULT '',
    receipt_seq        INTEGER NOT NULL DEFAULT 0, -- last receipt number given
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX calls_cohort ON calls (cohort_id);
CREATE INDEX calls_closing ON calls (published, closes_at);

CREATE TABLE call_questions (
    id         TEXT PRIMARY KEY,
    call_id    TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL, -- short_text, long_text, yes_no, choice, date, file
    label      TEXT NOT NULL,
    help       TEXT NOT NULL DEFAULT '',
    required   BOOLEAN NOT NULL,
    min_length INTEGER NOT NULL DEFAULT 0,
    max_length INTEGER NOT NULL DEFAULT 0,
    choices    TEXT NOT NULL DEFAULT '' -- one per line
);
CREATE INDEX call_questions_call ON call_questions (call_id, position);

CREATE TABLE applications (
    id                    TEXT PRIMARY KEY,
    call_id               TEXT NOT NULL REFERENCES calls (id),
    account_id            TEXT NOT NULL REFERENCES accounts (id),
    person_id             TEXT REFERENCES people (id) ON DELETE SET NULL,
    structure_id          TEXT REFERENCES structures (id) ON DELETE SET NULL,
    declared_name         TEXT NOT NULL DEFAULT '', -- a structure not yet listed: flagged for the manager
    declared_kind         TEXT NOT NULL DEFAULT '',
    declared_departement  TEXT NOT NULL DEFAULT '',
    declared_commune      TEXT NOT NULL DEFAULT '',
    role                  TEXT NOT NULL DEFAULT '',
    profession            TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL, -- draft, submitted, withdrawn
    receipt               TEXT,
    eligible              BOOLEAN NOT NULL DEFAULT FALSE,
    needs_review          BOOLEAN NOT NULL DEFAULT FALSE,
    reasons               TEXT NOT NULL DEFAULT '', -- JSON: the failed rules' reasons at submission
    override              TEXT NOT NULL DEFAULT '', -- eligible, ineligible, or empty
    override_reason       TEXT NOT NULL DEFAULT '',
    override_by           TEXT NOT NULL DEFAULT '',
    override_at           TIMESTAMPTZ,
    membership_id         TEXT REFERENCES memberships (id) ON DELETE SET NULL,
    consent_processing_at TIMESTAMPTZ,
    consent_retention_at  TIMESTAMPTZ,
    submitted_at          TIMESTAMPTZ,
    withdrawn_at          TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    UNIQUE (call_id, account_id), -- one application per person per call
    UNIQUE (call_id, receipt)
);
CREATE INDEX applications_call ON applications (call_id, status);
CREATE INDEX applications_account ON applications (account_id);

CREATE TABLE application_answers (
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    question_id    TEXT NOT NULL REFERENCES call_questions (id) ON DELETE CASCADE,
    value          TEXT NOT NULL DEFAULT '',
    file_id        TEXT REFERENCES files (id) ON DELETE SET NULL,
    PRIMARY KEY (application_id, question_id)
);

CREATE TABLE email_verifications (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
