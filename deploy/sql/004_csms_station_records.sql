-- 004_csms_station_records.sql: what stations report, kept for history and search.
--
-- csms_station_events and csms_meter_values are append-only and written in batches. Each row carries the sequence
-- number its grain gave it, and the grain keeps an item in its (durable) state until the batch holding it is written,
-- so an acknowledged event survives a silo failure and a re-sent batch inserts nothing twice.
-- csms_stations is the registry behind station lists and searches, updated on boot, connection changes and
-- registration decisions.
-- Re-applicable: the migrator runs it inside one transaction.

CREATE TABLE IF NOT EXISTS csms_station_events (
    station_id   text        NOT NULL,
    seq          bigint      NOT NULL,
    occurred_at  timestamptz NOT NULL,
    kind         text        NOT NULL,
    detail       text        NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station_id, seq)
);
CREATE INDEX IF NOT EXISTS csms_station_events_by_time ON csms_station_events (occurred_at);

CREATE TABLE IF NOT EXISTS csms_meter_values (
    station_id      text        NOT NULL,
    evse_id         integer     NOT NULL,
    seq             bigint      NOT NULL,
    transaction_id  text,
    sampled_at      timestamptz NOT NULL,
    measurand       text        NOT NULL,
    value           numeric     NOT NULL,
    unit            text,
    phase           text,
    context         text,
    location        text,
    PRIMARY KEY (station_id, evse_id, seq)
);
CREATE INDEX IF NOT EXISTS csms_meter_values_by_transaction ON csms_meter_values (station_id, transaction_id) WHERE transaction_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS csms_stations (
    station_id        text PRIMARY KEY,
    vendor            text,
    model             text,
    serial_number     text,
    firmware_version  text,
    registration      text        NOT NULL,
    ocpp_version      text,
    connected         boolean     NOT NULL DEFAULT false,
    gateway_id        text,
    last_seen         timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS csms_stations_by_vendor_model ON csms_stations (vendor, model);
