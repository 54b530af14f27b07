-- ender:revision svc0002email
-- ender:parents svc0001accts
-- ender:message every account gets an email, written by the application's code
-- ender:step backfill_emails
-- ender:upgrade
-- The step (examples/service/service.cpp) runs after this SQL, in the same transaction, and
-- fills account.email through the mapped model.
CREATE TABLE email_backfill (account_id bigint PRIMARY KEY REFERENCES account (id));

-- ender:downgrade
DROP TABLE email_backfill;
