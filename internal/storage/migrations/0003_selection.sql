-- Selection committees, reviews, compositions and offers (issue 4).

ALTER TABLE calls ADD COLUMN offer_days INTEGER NOT NULL DEFAULT 7; -- an offer is answered by 23:59 local on this day
ALTER TABLE calls ADD COLUMN min_score INTEGER NOT NULL DEFAULT -1; -- hundredths of a point; -1: none

-- One committee per call. Its members hold a committee_member grant scoped to its id.
CREATE TABLE committees (
    id                        TEXT PRIMARY KEY,
    call_id                   TEXT NOT NULL UNIQUE REFERENCES calls (id),
    reviewers_per_application INTEGER NOT NULL DEFAULT 2,
    disagreement_gap          INTEGER NOT NULL DEFAULT 25, -- points on 0–100
    closed_at                 TIMESTAMPTZ, -- the chair closed the review
    closed_by                 TEXT NOT NULL DEFAULT '',
    created_at                TIMESTAMPTZ NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL
);

CREATE TABLE committee_members (
    id           TEXT PRIMARY KEY,
    committee_id TEXT NOT NULL REFERENCES committees (id) ON DELETE CASCADE,
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    role         TEXT NOT NULL, -- trainer, elected, observer (observers never review)
    chair        BOOLEAN NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    left_at      TIMESTAMPTZ,
    UNIQUE (committee_id, account_id)
);

-- Conflicts declared by a member or the manager; conflicts through the applicant's structure
-- are found from the memberships and not stored.
CREATE TABLE committee_conflicts (
    member_id      TEXT NOT NULL REFERENCES committee_members (id) ON DELETE CASCADE,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    reason         TEXT NOT NULL,
    declared_by    TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (member_id, application_id)
);

CREATE TABLE review_criteria (
    id           TEXT PRIMARY KEY,
    committee_id TEXT NOT NULL REFERENCES committees (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    label        TEXT NOT NULL,
    weight       INTEGER NOT NULL,
    levels       TEXT NOT NULL DEFAULT '' -- what 0 to 5 mean, one per line
);

-- An assignment is a review not yet started.
CREATE TABLE reviews (
    id             TEXT PRIMARY KEY,
    member_id      TEXT NOT NULL REFERENCES committee_members (id) ON DELETE CASCADE,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    manual         BOOLEAN NOT NULL, -- assigned by hand: the automatic assignment keeps it
    status         TEXT NOT NULL, -- assigned, draft, submitted
    scores         TEXT NOT NULL DEFAULT '', -- JSON: criterion id → 0..5
    comment        TEXT NOT NULL DEFAULT '',
    total          INTEGER NOT NULL DEFAULT 0, -- weighted total, hundredths of a point on 0–100
    assigned_at    TIMESTAMPTZ NOT NULL,
    submitted_at   TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (member_id, application_id)
);
CREATE INDEX reviews_application ON reviews (application_id);

-- Each composition the manager sends: its parameters, what it read and what it decided.
CREATE TABLE compositions (
    id          TEXT PRIMARY KEY,
    call_id     TEXT NOT NULL REFERENCES calls (id),
    run_at      TIMESTAMPTZ NOT NULL,
    run_by      TEXT NOT NULL, -- an account, or "worker" when a freed seat is offered again
    capacity    INTEGER NOT NULL,
    per_org     INTEGER NOT NULL,
    max_per_org INTEGER NOT NULL,
    min_score   INTEGER NOT NULL,
    input       TEXT NOT NULL, -- JSON
    output      TEXT NOT NULL, -- JSON
    offers      INTEGER NOT NULL -- new offers it made
);
CREATE INDEX compositions_call ON compositions (call_id, run_at);

-- An offer holds a numbered seat of its call while pending or accepted: the partial unique
-- index makes two instances unable to give one seat twice; the unique application makes them
-- unable to offer one candidate twice.
CREATE TABLE offers (
    id             TEXT PRIMARY KEY,
    call_id        TEXT NOT NULL REFERENCES calls (id),
    application_id TEXT NOT NULL UNIQUE REFERENCES applications (id),
    seat           INTEGER NOT NULL,
    status         TEXT NOT NULL, -- pending, accepted, declined, lapsed, withdrawn
    offered_at     TIMESTAMPTZ NOT NULL,
    deadline       TIMESTAMPTZ NOT NULL,
    answered_at    TIMESTAMPTZ,
    composition_id TEXT NOT NULL REFERENCES compositions (id)
);
CREATE UNIQUE INDEX offers_seat ON offers (call_id, seat) WHERE status IN ('pending', 'accepted');
CREATE INDEX offers_deadline ON offers (status, deadline);

-- Receipt numbers run on per programme and région across its sessions, so that a receipt
-- names one application even when a session is repeated; they were per call.
CREATE TABLE receipt_counters (
    prefix TEXT PRIMARY KEY, -- AMG-52
    seq    INTEGER NOT NULL  -- last number given
);
INSERT INTO receipt_counters (prefix, seq)
SELECT substr(receipt, 1, length(receipt) - 5), MAX(CAST(substr(receipt, length(receipt) - 3) AS INTEGER))
FROM applications WHERE receipt IS NOT NULL
GROUP BY substr(receipt, 1, length(receipt) - 5);
ALTER TABLE calls DROP COLUMN receipt_seq;
