-- progress_school_counts follows every change to staff in the change's own transaction: statement-level
-- triggers group the changed rows by campaign and school and add the difference (new rows minus old rows).
-- Each branch names only the transition tables its event has.
CREATE FUNCTION progress_count_staff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM progress_school_counts;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO progress_school_counts AS counts (campaign_id, school_code, entered, confirmed, approved)
    SELECT campaign_id, school_code, sum(sign), coalesce(sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')), 0), coalesce(sum(sign) FILTER (WHERE status = 'approved'), 0)
    FROM (SELECT campaign_id, school_code, status, 1 AS sign FROM new_rows WHERE deleted_at IS NULL) AS changed
    GROUP BY campaign_id, school_code
    HAVING sum(sign) <> 0 OR sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')) <> 0 OR sum(sign) FILTER (WHERE status = 'approved') <> 0
    ORDER BY campaign_id, school_code
    ON CONFLICT (campaign_id, school_code) DO UPDATE SET
      entered = counts.entered + excluded.entered,
      confirmed = counts.confirmed + excluded.confirmed,
      approved = counts.approved + excluded.approved;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO progress_school_counts AS counts (campaign_id, school_code, entered, confirmed, approved)
    SELECT campaign_id, school_code, sum(sign), coalesce(sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')), 0), coalesce(sum(sign) FILTER (WHERE status = 'approved'), 0)
    FROM (SELECT campaign_id, school_code, status, -1 AS sign FROM old_rows WHERE deleted_at IS NULL) AS changed
    GROUP BY campaign_id, school_code
    HAVING sum(sign) <> 0 OR sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')) <> 0 OR sum(sign) FILTER (WHERE status = 'approved') <> 0
    ORDER BY campaign_id, school_code
    ON CONFLICT (campaign_id, school_code) DO UPDATE SET
      entered = counts.entered + excluded.entered,
      confirmed = counts.confirmed + excluded.confirmed,
      approved = counts.approved + excluded.approved;
  ELSE
    INSERT INTO progress_school_counts AS counts (campaign_id, school_code, entered, confirmed, approved)
    SELECT campaign_id, school_code, sum(sign), coalesce(sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')), 0), coalesce(sum(sign) FILTER (WHERE status = 'approved'), 0)
    FROM (SELECT campaign_id, school_code, status, -1 AS sign FROM old_rows WHERE deleted_at IS NULL UNION ALL SELECT campaign_id, school_code, status, 1 AS sign FROM new_rows WHERE deleted_at IS NULL) AS changed
    GROUP BY campaign_id, school_code
    HAVING sum(sign) <> 0 OR sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')) <> 0 OR sum(sign) FILTER (WHERE status = 'approved') <> 0
    ORDER BY campaign_id, school_code
    ON CONFLICT (campaign_id, school_code) DO UPDATE SET
      entered = counts.entered + excluded.entered,
      confirmed = counts.confirmed + excluded.confirmed,
      approved = counts.approved + excluded.approved;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER progress_staff_inserted AFTER INSERT ON staff REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION progress_count_staff();
--> statement-breakpoint
CREATE TRIGGER progress_staff_updated AFTER UPDATE ON staff REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION progress_count_staff();
--> statement-breakpoint
CREATE TRIGGER progress_staff_deleted AFTER DELETE ON staff REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION progress_count_staff();
--> statement-breakpoint
CREATE TRIGGER progress_staff_truncated AFTER TRUNCATE ON staff FOR EACH STATEMENT EXECUTE FUNCTION progress_count_staff();
--> statement-breakpoint
INSERT INTO progress_school_counts (campaign_id, school_code, entered, confirmed, approved)
SELECT campaign_id, school_code, count(*), count(*) FILTER (WHERE status IN ('confirmed', 'approved')), count(*) FILTER (WHERE status = 'approved')
FROM staff
WHERE deleted_at IS NULL
GROUP BY campaign_id, school_code;
