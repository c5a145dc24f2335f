-- 抄送 is a list of organs, like issuers: a JSON array of names.  Older databases stored the
-- names joined by "，" (NULL when there were none); each is split back into its names here.
UPDATE documents SET cc = CASE
    WHEN cc IS NULL OR cc = '' THEN '[]'
    ELSE json('["' || replace(replace(replace(cc, '\', '\\'), '"', '\"'), '，', '","') || '"]')
END;
