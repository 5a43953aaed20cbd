-- =============================================================================
-- 002_orleans_persistence.sql
--
-- CSMS schema for Orleans grain state on PostgreSQL, used by
-- Microsoft.Orleans.Persistence.AdoNet (Invariant = "Npgsql").
--
-- Written for this project from the provider's documented contract (query
-- keys, parameter names, result columns, integer-version etag semantics; see
-- deploy/sql/README.md). It is not a copy of the PostgreSQL scripts shipped in
-- the Orleans repository: the table, functions and statements are our own.
--
-- Idempotent: safe to re-apply on every start-up; re-applying changes nothing.
-- Plain SQL only (no psql meta-commands).
-- =============================================================================


SELECT pg_advisory_xact_lock(hashtext('csms.orleans.schema'));

-- Query registry (fixed name; also created by 001_orleans_clustering.sql).
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT orleansquery_pkey PRIMARY KEY (QueryKey)
);

-- -----------------------------------------------------------------------------
-- One row per (service, state type, grain id).
--   grain_type      the provider's "GrainTypeString": in Orleans 7+ this is the
--                   persistent-state NAME given in [PersistentState(name, ...)]
--                   (generic arity normalised), not the grain class.
--   grain_id_n0/n1  Guid key split in two int64 (n0 = 0, n1 = key for integer
--                   keys, both 0 for string keys).
--   grain_id_ext    key extension for compound keys, or the whole key for
--                   string-keyed grains; NULL otherwise.
--   *_hash          32-bit hashes computed by the provider (its IStorageHasherPicker)
--                   and stored as given; they only narrow the index, every
--                   lookup also compares the full identity.
--   payload         serialized state (the provider's IGrainStorageSerializer);
--                   NULL after a clear.
--   version         the etag: 1 on first write, +1 on every write/clear.
-- The storage provider's NAME is not part of the contract (not a parameter):
-- two providers sharing a table and ServiceId share rows for equal state names.
-- -----------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id      varchar(150) NOT NULL,
    grain_type_hash integer      NOT NULL,
    grain_type      text         NOT NULL,
    grain_id_hash   integer      NOT NULL,
    grain_id_n0     bigint       NOT NULL,
    grain_id_n1     bigint       NOT NULL,
    grain_id_ext    text         NULL,
    payload         bytea        NULL,
    version         integer      NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    modified_at     timestamptz  NOT NULL DEFAULT now()
);

-- Identity. Long texts are compared through md5 in the index (btree entries
-- are size-limited); NULL and '' extensions are kept apart.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_identity
    ON orleans_grain_state (grain_id_hash, grain_type_hash, service_id,
                            grain_id_n0, grain_id_n1,
                            md5(grain_type),
                            md5(COALESCE(grain_id_ext, '')),
                            (grain_id_ext IS NULL));

-- Next etag value; wraps instead of overflowing (the etag is only compared
-- for equality by the provider).
CREATE OR REPLACE FUNCTION csms_orleans_next_state_version(v integer)
RETURNS integer
LANGUAGE sql
IMMUTABLE
AS $fn$
    SELECT CASE WHEN v >= 2147483647 THEN 1 ELSE v + 1 END;
$fn$;

-- Write with optimistic concurrency. p_expected is the grain's current etag:
--   NULL   -> the grain believes no row exists: insert with version 1; if a row
--             already exists, nothing is written.
--   n      -> replace payload only if the stored version is still n.
-- Returns the new version, or NULL when nothing was written (the provider
-- then raises InconsistentStateException).
CREATE OR REPLACE FUNCTION csms_orleans_state_write(
    p_service_id      text,
    p_grain_type_hash integer,
    p_grain_type      text,
    p_grain_id_hash   integer,
    p_grain_id_n0     bigint,
    p_grain_id_n1     bigint,
    p_grain_id_ext    text,
    p_expected        integer,
    p_payload         bytea)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    written integer;
BEGIN
    IF p_expected IS NULL THEN
        INSERT INTO orleans_grain_state
               (service_id, grain_type_hash, grain_type, grain_id_hash,
                grain_id_n0, grain_id_n1, grain_id_ext, payload, version)
        VALUES (p_service_id, p_grain_type_hash, p_grain_type, p_grain_id_hash,
                p_grain_id_n0, p_grain_id_n1, p_grain_id_ext, p_payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO written;
    ELSE
        UPDATE orleans_grain_state s
           SET payload     = p_payload,
               version     = csms_orleans_next_state_version(s.version),
               modified_at = now()
         WHERE s.grain_id_hash   = p_grain_id_hash
           AND s.grain_type_hash = p_grain_type_hash
           AND s.service_id      = p_service_id
           AND s.grain_id_n0     = p_grain_id_n0
           AND s.grain_id_n1     = p_grain_id_n1
           AND s.grain_type      = p_grain_type
           AND s.grain_id_ext IS NOT DISTINCT FROM p_grain_id_ext
           AND s.version         = p_expected
        RETURNING s.version INTO written;
    END IF;
    RETURN written;
END;
$fn$;

-- -----------------------------------------------------------------------------
-- Query rows read by the persistence provider at silo start-up.
-- -----------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
-- Zero or one row: "PayloadBinary" (NULL = no state) and "Version" (etag).
('ReadFromStorageKey', $q$
SELECT s.payload AS "PayloadBinary",
       s.version AS "Version"
  FROM orleans_grain_state s
 WHERE s.grain_id_hash   = @GrainIdHash
   AND s.grain_type_hash = @GrainTypeHash
   AND s.service_id      = @ServiceId
   AND s.grain_id_n0     = @GrainIdN0
   AND s.grain_id_n1     = @GrainIdN1
   AND s.grain_type      = @GrainTypeString
   AND s.grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$),

-- Exactly one row, column "NewGrainStateVersion": new etag, or NULL on a
-- version conflict.
('WriteToStorageKey', $q$
SELECT csms_orleans_state_write(
    @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash,
    @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
    @GrainStateVersion, @PayloadBinary) AS "NewGrainStateVersion";
$q$),

-- Clear (default, DeleteStateOnClear = false): keep the row, drop the payload,
-- bump the version. First column of the (single) row = new etag; no row when
-- the stored version is not @GrainStateVersion (-> conflict).
('ClearStorageKey', $q$
UPDATE orleans_grain_state s
   SET payload     = NULL,
       version     = csms_orleans_next_state_version(s.version),
       modified_at = now()
 WHERE s.grain_id_hash   = @GrainIdHash
   AND s.grain_type_hash = @GrainTypeHash
   AND s.service_id      = @ServiceId
   AND s.grain_id_n0     = @GrainIdN0
   AND s.grain_id_n1     = @GrainIdN1
   AND s.grain_type      = @GrainTypeString
   AND s.grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
   AND s.version         = @GrainStateVersion
RETURNING s.version AS "NewGrainStateVersion";
$q$),

-- Optional (only used with DeleteStateOnClear = true): delete the row if the
-- stored version is @GrainStateVersion. The first column must be non-NULL and
-- differ from the old etag for success, so it returns the next version number
-- (the provider then resets the grain's etag to null); no row -> conflict.
('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state s
 WHERE s.grain_id_hash   = @GrainIdHash
   AND s.grain_type_hash = @GrainTypeHash
   AND s.service_id      = @ServiceId
   AND s.grain_id_n0     = @GrainIdN0
   AND s.grain_id_n1     = @GrainIdN1
   AND s.grain_type      = @GrainTypeString
   AND s.grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
   AND s.version         = @GrainStateVersion
RETURNING csms_orleans_next_state_version(s.version) AS "DeletedAtVersion";
$q$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

