-- 003_csms_ledger.sql: the billing ledger, one row per completed transaction.
--
-- Keyed by (station_id, transaction_id): a retried or replayed end never creates a second row. A row is rewritten
-- only by a snapshot that has seen more of the transaction's events (a late offline Started completes a row first
-- written at Ended), so writes are idempotent and never go backwards.
-- Re-applicable: the migrator runs it inside one transaction.

CREATE TABLE IF NOT EXISTS csms_transactions (
    station_id        text        NOT NULL,
    transaction_id    text        NOT NULL,
    evse_id           integer     NOT NULL,
    connector_id      integer,
    id_token          text,
    started_at        timestamptz,
    ended_at          timestamptz,
    meter_start_wh    numeric,
    meter_stop_wh     numeric,
    energy_wh         numeric,
    stopped_reason    text,
    flags             text[]      NOT NULL DEFAULT '{}',
    events_received   integer     NOT NULL,
    offline_events    integer     NOT NULL DEFAULT 0,
    missing_seq_nos   bigint      NOT NULL DEFAULT 0,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station_id, transaction_id)
);

CREATE INDEX IF NOT EXISTS csms_transactions_by_station_end ON csms_transactions (station_id, ended_at DESC);
CREATE INDEX IF NOT EXISTS csms_transactions_by_token ON csms_transactions (id_token, ended_at DESC);
