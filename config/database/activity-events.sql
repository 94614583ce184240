-- The table of routes/activity-to-database.camel.yaml: one row per Power BI activity event, keyed by its Id.
-- Run by the runner at start (powerbi.database.init); written for PostgreSQL and for H2 in PostgreSQL mode (the
-- default embedded database), so the same statements work on both.
CREATE TABLE IF NOT EXISTS activity_events (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,   -- the event's Id
    creation_time  TIMESTAMP     NOT NULL,               -- CreationTime, UTC
    activity       VARCHAR(128)  NOT NULL,               -- Activity, e.g. ViewReport, ExportReport, ShareReport
    user_id        VARCHAR(320),                         -- UserId: a UPN, or an app's client id
    workspace_id   VARCHAR(64),                          -- WorkspaceId
    workspace_name VARCHAR(400),                         -- WorkSpaceName
    item_name      VARCHAR(400),                         -- ItemName: the report, dataset or dashboard
    client_ip      VARCHAR(64),                          -- ClientIP
    is_success     BOOLEAN,                              -- IsSuccess
    raw_json       TEXT          NOT NULL                -- the whole event as Power BI returned it
);
CREATE INDEX IF NOT EXISTS activity_events_creation_time ON activity_events (creation_time);
CREATE INDEX IF NOT EXISTS activity_events_user_id ON activity_events (user_id);
CREATE INDEX IF NOT EXISTS activity_events_activity ON activity_events (activity);
