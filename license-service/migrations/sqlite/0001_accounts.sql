-- Organisations: the vendor (one), resellers (with the frame the vendor certified, JSON),
-- customer companies.
CREATE TABLE svc_orgs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('vendor', 'reseller', 'company')),
    name TEXT NOT NULL,
    frame TEXT NOT NULL DEFAULT '',
    created_ms BIGINT NOT NULL
);
CREATE INDEX svc_orgs_name ON svc_orgs (kind, lower(name));
CREATE TABLE svc_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES svc_orgs (id),
    email TEXT NOT NULL UNIQUE,
    password TEXT NOT NULL,
    admin BIGINT NOT NULL,
    confirmed BIGINT NOT NULL,
    totp TEXT NOT NULL DEFAULT '',
    totp_step BIGINT NOT NULL DEFAULT 0,
    rights TEXT NOT NULL DEFAULT '',
    created_ms BIGINT NOT NULL
);
CREATE INDEX svc_users_org ON svc_users (org_id);
CREATE TABLE svc_sessions (
    hash BLOB PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES svc_users (id),
    csrf TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX svc_sessions_user ON svc_sessions (user_id);
CREATE TABLE svc_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES svc_orgs (id),
    hash BLOB NOT NULL UNIQUE,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE svc_one_time (
    hash BLOB PRIMARY KEY,
    purpose TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES svc_users (id),
    expires_ms BIGINT NOT NULL,
    used BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE svc_throttle (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_ms BIGINT NOT NULL
);
-- Which company holds a license and which reseller created it (0: none).
CREATE TABLE svc_licenses (
    license_id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL,
    reseller_id BIGINT NOT NULL,
    product TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX svc_licenses_company ON svc_licenses (company_id);
CREATE INDEX svc_licenses_reseller ON svc_licenses (reseller_id);
CREATE TABLE svc_trials (
    company_id BIGINT NOT NULL,
    product TEXT NOT NULL,
    license_id BIGINT NOT NULL,
    PRIMARY KEY (company_id, product)
);
CREATE TABLE svc_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    org_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL
);
CREATE INDEX svc_audit_org ON svc_audit (org_id, id);
