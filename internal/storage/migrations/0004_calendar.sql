-- A cohort's learners, calendar, calendar feeds and attendance (issue 5).

ALTER TABLE programmes ADD COLUMN attendance_threshold INTEGER NOT NULL DEFAULT 80; -- percent

-- A learner of a cohort: an application whose offer was accepted. Giving up the seat sets
-- left_at; the attendance already recorded stays.
CREATE TABLE enrolments (
    id             TEXT PRIMARY KEY,
    cohort_id      TEXT NOT NULL REFERENCES cohorts (id),
    application_id TEXT NOT NULL UNIQUE REFERENCES applications (id),
    account_id     TEXT NOT NULL REFERENCES accounts (id),
    enrolled_at    TIMESTAMPTZ NOT NULL,
    left_at        TIMESTAMPTZ,
    convoked_at    TIMESTAMPTZ -- when the convocation was last sent
);
CREATE INDEX enrolments_cohort ON enrolments (cohort_id);
CREATE INDEX enrolments_account ON enrolments (account_id);
INSERT INTO enrolments (id, cohort_id, application_id, account_id, enrolled_at)
SELECT o.id, c.cohort_id, o.application_id, a.account_id, coalesce(o.answered_at, o.offered_at)
FROM offers o JOIN applications a ON a.id = o.application_id JOIN calls c ON c.id = o.call_id
WHERE o.status = 'accepted';

-- A training day of a cohort, on a civil date of its région. module_id names a module of the
-- programme without a foreign key: the programme's modules are rewritten when edited, and a
-- day keeps its module's id (shown as removed if it is gone). sequence counts the changes
-- that learners are told about (iCalendar SEQUENCE). A day removed after the convocations is
-- kept as cancelled, so that the calendars that hold it remove it.
CREATE TABLE cohort_days (
    id         TEXT PRIMARY KEY,
    cohort_id  TEXT NOT NULL REFERENCES cohorts (id),
    day        TEXT NOT NULL, -- YYYY-MM-DD
    module_id  TEXT NOT NULL DEFAULT '',
    place      TEXT NOT NULL DEFAULT '',
    video_url  TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    sequence   INTEGER NOT NULL DEFAULT 0,
    cancelled  BOOLEAN NOT NULL DEFAULT FALSE, -- kept after convocations, so that calendars drop it
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (cohort_id, day)
);

CREATE TABLE day_trainers (
    day_id     TEXT NOT NULL REFERENCES cohort_days (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (day_id, account_id)
);
CREATE INDEX day_trainers_account ON day_trainers (account_id);

-- A morning or an afternoon, as instants; the trainer's countersignature locks it.
CREATE TABLE half_days (
    id               TEXT PRIMARY KEY,
    day_id           TEXT NOT NULL REFERENCES cohort_days (id) ON DELETE CASCADE,
    part             TEXT NOT NULL, -- am, pm
    starts_at        TIMESTAMPTZ NOT NULL,
    ends_at          TIMESTAMPTZ NOT NULL,
    countersigned_at TIMESTAMPTZ,
    countersigned_by TEXT NOT NULL DEFAULT '',
    UNIQUE (day_id, part)
);

-- A learner's attendance of a half-day. The learner's own signature is recorded with its
-- time, account and address; the trainer marks the others.
CREATE TABLE attendance (
    half_day_id  TEXT NOT NULL REFERENCES half_days (id) ON DELETE CASCADE,
    enrolment_id TEXT NOT NULL REFERENCES enrolments (id),
    status       TEXT NOT NULL, -- present, late, absent_justified, absent_unjustified
    late_minutes INTEGER NOT NULL DEFAULT 0,
    reason       TEXT NOT NULL DEFAULT '',
    file_id      TEXT REFERENCES files (id),
    signed_at    TIMESTAMPTZ,
    signed_by    TEXT NOT NULL DEFAULT '',
    signed_ip    TEXT NOT NULL DEFAULT '',
    marked_by    TEXT NOT NULL DEFAULT '',
    marked_at    TIMESTAMPTZ,
    PRIMARY KEY (half_day_id, enrolment_id)
);
CREATE INDEX attendance_enrolment ON attendance (enrolment_id);

-- Secret calendar feed addresses (only the token's hash is kept); revoking one ends it.
CREATE TABLE calendar_feeds (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL, -- cohort, learner, trainer
    cohort_id    TEXT REFERENCES cohorts (id),
    account_id   TEXT NOT NULL REFERENCES accounts (id), -- whose feed it is
    created_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX calendar_feeds_account ON calendar_feeds (account_id);

-- An e-mail may carry one attachment (a convocation's calendar).
ALTER TABLE outbox ADD COLUMN attachment_name TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN attachment_type TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN attachment BYTEA;
