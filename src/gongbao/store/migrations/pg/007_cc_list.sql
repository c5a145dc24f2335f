-- 抄送 as a JSON array of organ names (see ../007_cc_list.sql).
UPDATE documents SET cc = CASE
    WHEN cc IS NULL OR cc = '' THEN '[]'
    ELSE to_json(string_to_array(cc, '，'))::text
END;
