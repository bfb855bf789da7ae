-- L11: what is published; A2–A4: contact data and case evidence, classified in the SDL and masked at the gateway.
ALTER TABLE subjects ADD COLUMN phone text;
ALTER TABLE subjects ADD COLUMN address text;
ALTER TABLE list_entries ADD COLUMN published boolean NOT NULL DEFAULT true;
ALTER TABLE list_entries ADD COLUMN evidence text;
