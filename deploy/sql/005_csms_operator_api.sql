-- 005_csms_operator_api.sql: what the operator API reads and lists.
--
-- csms_stations gains the operator's own labels (site, description). csms_commands keeps the finished commands of
-- every station (the station grain keeps only the latest), append-only and keyed by the grain's sequence numbers like
-- csms_station_events. Payload and response are kept as text, byte for byte as sent and received: a batch must never
-- fail because one station answered with something that is not valid JSON.
-- The indexes serve the keyset pages of the history queries (newest first, ties broken by the key).
-- Re-applicable: the migrator runs it inside one transaction.

ALTER TABLE csms_stations ADD COLUMN IF NOT EXISTS site text;
ALTER TABLE csms_stations ADD COLUMN IF NOT EXISTS description text;
CREATE INDEX IF NOT EXISTS csms_stations_by_site ON csms_stations (site, station_id);
CREATE INDEX IF NOT EXISTS csms_stations_by_vendor_model_ci ON csms_stations (lower(vendor), lower(model));

CREATE TABLE IF NOT EXISTS csms_commands (
    station_id         text        NOT NULL,
    seq                bigint      NOT NULL,
    command_id         text        NOT NULL,
    action             text        NOT NULL,
    state              text        NOT NULL,
    queued_at          timestamptz NOT NULL,
    sent_at            timestamptz,
    completed_at       timestamptz,
    timeout            interval    NOT NULL,
    payload            text        NOT NULL,
    response           text,
    error_code         text,
    error_description  text,
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station_id, seq)
);
CREATE INDEX IF NOT EXISTS csms_commands_by_action ON csms_commands (station_id, action, seq);

CREATE INDEX IF NOT EXISTS csms_station_events_by_kind ON csms_station_events (station_id, kind, seq);

-- a transaction's place in time: its start, its end if the start never arrived (and the write time if neither did)
CREATE INDEX IF NOT EXISTS csms_transactions_by_time
    ON csms_transactions ((coalesce(started_at, ended_at, recorded_at)), station_id, transaction_id);
CREATE INDEX IF NOT EXISTS csms_transactions_by_station_time
    ON csms_transactions (station_id, (coalesce(started_at, ended_at, recorded_at)), transaction_id);
CREATE INDEX IF NOT EXISTS csms_transactions_by_token_time
    ON csms_transactions (id_token, (coalesce(started_at, ended_at, recorded_at)), station_id, transaction_id)
    WHERE id_token IS NOT NULL;
