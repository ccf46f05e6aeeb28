-- How many rows each capped table holds ([store] max_pending_requests, max_pending_flows,
-- max_live_tokens). Every insert and delete of those tables changes its count in the same
-- transaction, so checking a cap is one UPDATE of one row instead of a COUNT(*) over the table,
-- and on PostgreSQL the lock on that row orders the inserts of several bridges. The periodic
-- purge counts again, so a count never stays wrong.
CREATE TABLE row_counts (
    counted_table TEXT PRIMARY KEY NOT NULL,
    row_count     BIGINT NOT NULL
);
INSERT INTO row_counts (counted_table, row_count) SELECT 'odoo_requests', COUNT(*) FROM odoo_requests;
INSERT INTO row_counts (counted_table, row_count) SELECT 'pending_flows', COUNT(*) FROM pending_flows;
INSERT INTO row_counts (counted_table, row_count) SELECT 'issued_tokens', COUNT(*) FROM issued_tokens;
