-- B0, and B1's baseline: the transaction the API's intake runs (application + audit + outbox, one round trip, no NOTIFY:
-- the node publishes after the commit), straight from pgbench.
\set doc random(1, 1000000000000)
WITH application AS (
    INSERT INTO credit_applications (id, reference, country, currency, status, requested_amount, monthly_income, term_months,
        full_name_cipher, document_cipher, pii_key_id, document_hash, applicant_user_id, created_at, updated_at, product_version)
    VALUES (gen_random_uuid(), 'CO-2026-' || lpad(nextval('application_reference_seq')::text, 6, '0'), 'CO', 'COP', 'PENDING', 5000000.00, 4000000.00, 36,
        decode(md5(random()::text), 'hex'), decode(md5(random()::text), 'hex'), 'bench', sha256(:doc::text::bytea), 'bench', now(), now(), '0123456789ab')
    RETURNING id),
audit AS (
    INSERT INTO application_audit (application_id, from_status, to_status, actor, actor_id, reason, occurred_at)
    SELECT id, NULL, 'PENDING', 'applicant', 'bench', 'Application submitted', now() FROM application)
INSERT INTO application_outbox (application_id, available_at, created_at) SELECT id, now(), now() FROM application;
