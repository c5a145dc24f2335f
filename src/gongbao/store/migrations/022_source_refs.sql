-- An issue's source lines that its documents' body lines came from, stored as references to
-- them (store.read.pack_source): raw_zlib keeps the other lines, raw_refs (zlib of JSON) the
-- characters the parser took out of each referenced line.  NULL: raw_zlib is the whole text,
-- as an older gongbao stored it (migration 023 packs those).  Revisions keep whole texts:
-- their documents are gone.
ALTER TABLE issues ADD COLUMN raw_refs BLOB;
