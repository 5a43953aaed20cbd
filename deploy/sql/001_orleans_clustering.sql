-- =============================================================================
-- 001_orleans_clustering.sql
--
-- CSMS schema for Orleans cluster membership on PostgreSQL, used by
-- Microsoft.Orleans.Clustering.AdoNet (Invariant = "Npgsql") on silos
-- (membership table) and on clients (gateway list).
--
-- Written for this project from the provider's documented contract (query
-- keys, parameter names, result columns; see deploy/sql/README.md). It is not
-- a copy of the PostgreSQL scripts shipped in the Orleans repository: the
-- tables, functions and statements below are our own.
--
-- Idempotent: safe to re-apply on every start-up. Re-applying changes nothing
-- (tables/indexes are created only if missing, functions are replaced with
-- identical bodies, query rows are only rewritten when their text differs).
-- Plain SQL only (no psql meta-commands, no BEGIN/COMMIT): the migrator runs
-- each file in one transaction; by hand use `psql -1 -v ON_ERROR_STOP=1 -f`.
-- =============================================================================


-- Serialise concurrent appliers (e.g. several silos starting at once) so the
-- IF NOT EXISTS checks cannot race each other.
SELECT pg_advisory_xact_lock(hashtext('csms.orleans.schema'));

-- -----------------------------------------------------------------------------
-- Query registry. The table and column names are fixed by the providers: they
-- run exactly  SELECT QueryKey, QueryText FROM OrleansQuery  (unquoted, hence
-- folded to lower case by PostgreSQL). Shared with 002_orleans_persistence.sql.
-- -----------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT orleansquery_pkey PRIMARY KEY (QueryKey)
);

-- -----------------------------------------------------------------------------
-- One row per cluster (Orleans ClusterId, passed as @DeploymentId). Its
-- "version" is the membership table version / etag: every membership insert
-- or update must present the current value and bumps it by one.
-- -----------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS orleans_cluster_version
(
    cluster_id  varchar(150) NOT NULL,
    version     integer      NOT NULL DEFAULT 0,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    changed_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT orleans_cluster_version_pk PRIMARY KEY (cluster_id)
);

-- -----------------------------------------------------------------------------
-- One row per silo incarnation (address, port, generation) in a cluster.
-- status holds Orleans.Runtime.SiloStatus as int (3 = Active, 6 = Dead, ...).
-- suspect_times is the provider's own text encoding
--   "<silo>,<date>|<silo>,<date>|..." and is stored verbatim.
-- Times are timestamptz: the provider sends and expects UTC instants.
-- -----------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS orleans_cluster_member
(
    cluster_id       varchar(150) NOT NULL,
    address          varchar(45)  NOT NULL,
    port             integer      NOT NULL,
    generation       integer      NOT NULL,
    silo_name        text         NOT NULL,
    host_name        text         NOT NULL,
    status           integer      NOT NULL,
    proxy_port       integer      NOT NULL,
    suspect_times    text         NULL,
    start_time       timestamptz  NOT NULL,
    i_am_alive_time  timestamptz  NOT NULL,
    CONSTRAINT orleans_cluster_member_pk PRIMARY KEY (cluster_id, address, port, generation),
    CONSTRAINT orleans_cluster_member_cluster_fk FOREIGN KEY (cluster_id)
        REFERENCES orleans_cluster_version (cluster_id) ON DELETE CASCADE
);

-- -----------------------------------------------------------------------------
-- Functions for the operations that must be atomic (check table version,
-- change a member row, bump the version) in one round trip.
-- -----------------------------------------------------------------------------

-- Adds a silo row if the caller's view of the table version is current and
-- the silo is not present yet; bumps the version only on success.
CREATE OR REPLACE FUNCTION csms_orleans_member_add(
    p_cluster_id      text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_silo_name       text,
    p_host_name       text,
    p_status          integer,
    p_proxy_port      integer,
    p_start_time      timestamptz,
    p_i_am_alive_time timestamptz,
    p_seen_version    integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
DECLARE
    added integer;
BEGIN
    -- Lock the cluster's version row, but only if it is still the version the
    -- caller read; a concurrent writer that got there first makes this miss.
    PERFORM 1
      FROM orleans_cluster_version v
     WHERE v.cluster_id = p_cluster_id
       AND v.version    = p_seen_version
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_cluster_member AS m
           (cluster_id, address, port, generation, silo_name, host_name,
            status, proxy_port, suspect_times, start_time, i_am_alive_time)
    VALUES (p_cluster_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
            p_status, p_proxy_port, NULL, p_start_time, p_i_am_alive_time)
    ON CONFLICT ON CONSTRAINT orleans_cluster_member_pk DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    IF added = 0 THEN
        RETURN false;
    END IF;

    UPDATE orleans_cluster_version
       SET version = version + 1, changed_at = now()
     WHERE cluster_id = p_cluster_id;
    RETURN true;
END;
$fn$;

-- Changes status / heartbeat / suspicions of an existing silo row under the
-- same table-version check; bumps the version only on success.
CREATE OR REPLACE FUNCTION csms_orleans_member_change(
    p_cluster_id      text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_status          integer,
    p_suspect_times   text,
    p_i_am_alive_time timestamptz,
    p_seen_version    integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
DECLARE
    changed integer;
BEGIN
    PERFORM 1
      FROM orleans_cluster_version v
     WHERE v.cluster_id = p_cluster_id
       AND v.version    = p_seen_version
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_cluster_member m
       SET status          = p_status,
           suspect_times   = p_suspect_times,
           i_am_alive_time = p_i_am_alive_time
     WHERE m.cluster_id = p_cluster_id
       AND m.address    = p_address
       AND m.port       = p_port
       AND m.generation = p_generation;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed = 0 THEN
        RETURN false;
    END IF;

    UPDATE orleans_cluster_version
       SET version = version + 1, changed_at = now()
     WHERE cluster_id = p_cluster_id;
    RETURN true;
END;
$fn$;

-- -----------------------------------------------------------------------------
-- Query rows read by the clustering provider (silo and client side).
-- Result column aliases are quoted so they match the provider's reader names
-- exactly. Parameters (@Name) are bound by Npgsql with the provider's types:
-- strings -> text, ints -> integer, DateTime (UTC) -> timestamptz.
-- -----------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
-- Silo start-up: make sure the cluster's version row exists. Must return
-- exactly one row with one boolean column (true = created now).
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_cluster_version (cluster_id)
    VALUES (@DeploymentId)
    ON CONFLICT (cluster_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS "Created";
$q$),

-- Insert a silo row if @Version is the current table version; one boolean.
('InsertMembershipKey', $q$
SELECT csms_orleans_member_add(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS "Done";
$q$),

-- Update a silo row if @Version is the current table version; one boolean.
('UpdateMembershipKey', $q$
SELECT csms_orleans_member_change(
    @DeploymentId, @Address, @Port, @Generation,
    @Status, @SuspectTimes, @IAmAliveTime, @Version) AS "Done";
$q$),

-- Heartbeat: no version check and no version bump; no result expected.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_cluster_member
   SET i_am_alive_time = @IAmAliveTime
 WHERE cluster_id = @DeploymentId
   AND address    = @Address
   AND port       = @Port
   AND generation = @Generation;
$q$),

-- One silo. Always one row per existing cluster: the version columns come
-- from the version row; member columns are NULL when the silo is unknown
-- (the provider treats NULL StartTime as "no entry").
('MembershipReadRowKey', $q$
SELECT v.version          AS "Version",
       m.address          AS "Address",
       m.port             AS "Port",
       m.generation       AS "Generation",
       m.silo_name        AS "SiloName",
       m.host_name        AS "HostName",
       m.status           AS "Status",
       m.proxy_port       AS "ProxyPort",
       m.suspect_times    AS "SuspectTimes",
       m.start_time       AS "StartTime",
       m.i_am_alive_time  AS "IAmAliveTime"
  FROM orleans_cluster_version v
  LEFT JOIN orleans_cluster_member m
         ON m.cluster_id = v.cluster_id
        AND m.address    = @Address
        AND m.port       = @Port
        AND m.generation = @Generation
 WHERE v.cluster_id = @DeploymentId;
$q$),

-- All silos of the cluster; at least one row (the version) even when empty.
('MembershipReadAllKey', $q$
SELECT v.version          AS "Version",
       m.address          AS "Address",
       m.port             AS "Port",
       m.generation       AS "Generation",
       m.silo_name        AS "SiloName",
       m.host_name        AS "HostName",
       m.status           AS "Status",
       m.proxy_port       AS "ProxyPort",
       m.suspect_times    AS "SuspectTimes",
       m.start_time       AS "StartTime",
       m.i_am_alive_time  AS "IAmAliveTime"
  FROM orleans_cluster_version v
  LEFT JOIN orleans_cluster_member m
         ON m.cluster_id = v.cluster_id
 WHERE v.cluster_id = @DeploymentId
 ORDER BY m.address, m.port, m.generation;
$q$),

-- Client gateway list: silos in status @Status (Active = 3) that expose a
-- gateway (client) port.
('GatewaysQueryKey', $q$
SELECT m.address     AS "Address",
       m.proxy_port  AS "ProxyPort",
       m.generation  AS "Generation"
  FROM orleans_cluster_member m
 WHERE m.cluster_id = @DeploymentId
   AND m.status     = @Status
   AND m.proxy_port > 0;
$q$),

-- Forget a whole cluster (members go with the version row via the FK).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_cluster_version
 WHERE cluster_id = @DeploymentId;
$q$),

-- Bulk clean-up of long-dead silos (Dead = 6) older than @IAmAliveTime.
-- Only used when CleanupDefunctSiloEntryKey is absent; kept for completeness.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_cluster_member
 WHERE cluster_id      = @DeploymentId
   AND status          = 6
   AND i_am_alive_time < @IAmAliveTime
   AND start_time      < @IAmAliveTime;
$q$),

-- Optional per-row clean-up (Orleans 10): the provider decides eligibility in
-- .NET from a row it read and passes that row's values back; delete only if
-- the row is still exactly that dead incarnation.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_cluster_member
 WHERE cluster_id      = @DeploymentId
   AND address         = @Address
   AND port            = @Port
   AND generation      = @Generation
   AND status          = 6
   AND start_time      = @StartTime
   AND i_am_alive_time = @IAmAliveTime
   AND COALESCE(suspect_times, '') = COALESCE(@SuspectTimes, '');
$q$)
ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
    WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;

