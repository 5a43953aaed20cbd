-- 006_csms_id_tokens.sql: the id tokens set through the operator API, as a list.
--
-- Each token's grain holds its record (status, expiry, group) and writes it here on every change, so tokens can be
-- listed, filtered by group and status, and built into local authorization lists. Keyed by the canonical
-- (upper-case) token; deleting the record through the API deletes the row.
-- Re-applicable: the migrator runs it inside one transaction.

CREATE TABLE IF NOT EXISTS csms_id_tokens (
    id_token    text        PRIMARY KEY,
    status      text        NOT NULL,
    expires_at  timestamptz,
    group_id    text,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS csms_id_tokens_by_group ON csms_id_tokens (group_id, id_token);
