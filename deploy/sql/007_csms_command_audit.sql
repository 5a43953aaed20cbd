-- 007_csms_command_audit.sql: who asked for each command, and until when it could wait.
--
-- requested_by is the API key's (or token subject's) name, or the component that sent it; expires_at is when a
-- queued command would have expired unsent. Both are null for rows written before this file.
-- Re-applicable: the migrator runs it inside one transaction.

ALTER TABLE csms_commands ADD COLUMN IF NOT EXISTS requested_by text;
ALTER TABLE csms_commands ADD COLUMN IF NOT EXISTS expires_at timestamptz;
