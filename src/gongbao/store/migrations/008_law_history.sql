-- A law's history (the dated events of its note: 通过, 批准, 公布/发布, 修正, 修订, 修改, 施行) as a
-- JSON list of {date, event}, for a law printed alone (documents) and for the text a 公告 / 令
-- promulgates (embedded, with the 施行日期 the issuing document gives it).  Older rows have none.
ALTER TABLE documents ADD COLUMN history TEXT NOT NULL DEFAULT '[]';
ALTER TABLE embedded ADD COLUMN history TEXT NOT NULL DEFAULT '[]';
ALTER TABLE embedded ADD COLUMN effective TEXT;
