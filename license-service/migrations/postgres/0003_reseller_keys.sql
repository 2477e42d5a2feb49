-- Reseller keys (issue 21, item 3): a key the service keeps for a reseller working in the
-- portal, sealed with XChaCha20-Poly1305 under the service's master key (`custody` =
-- 'service'), or only the public key of a reseller that keeps its own ('own', `sealed`
-- empty).
CREATE TABLE svc_reseller_keys (
    org_id BIGINT PRIMARY KEY REFERENCES svc_orgs (id),
    custody TEXT NOT NULL CHECK (custody IN ('service', 'own')),
    public_key TEXT NOT NULL,
    sealed BYTEA NOT NULL,
    created_ms BIGINT NOT NULL
);
-- The certificates the vendor gave resellers (the library's `certify`), one live per
-- reseller and product, serials unique per product. A certificate replaced by a narrower
-- one ends (`revoked_ms`), one the vendor revoked is also `listed` on the product's
-- revocation lists (every code signed under it is refused).
CREATE TABLE svc_certificates (
    product TEXT NOT NULL,
    serial BIGINT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES svc_orgs (id),
    chain TEXT NOT NULL,
    frame TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT NOT NULL DEFAULT 0,
    listed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (product, serial)
);
CREATE INDEX svc_certificates_org ON svc_certificates (org_id, product);
-- Records of resellers' monthly exports the vendor imported (the library's check_import),
-- as the library's JSON records.
CREATE TABLE svc_imports (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES svc_orgs (id),
    record TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
