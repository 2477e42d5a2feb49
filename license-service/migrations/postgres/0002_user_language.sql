-- The language a user reads its pages and mails in (the portal's switch sets it).
ALTER TABLE svc_users ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
