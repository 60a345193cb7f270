-- 需重新审核: a change below a submitted or approved package marks the latest package of every unit above
-- it (and of the unit itself when asked) with its cause, tells those units and the units reviewing them, and
-- audits each mark. One function serves the code (a school added, moved, closed or merged, a package
-- reopened, an expected count changed) and the trigger on staff (a record changed after its chain was signed).
CREATE FUNCTION mark_chain_stale(p_campaign integer, p_unit varchar, p_cause text, p_include_self boolean)
RETURNS TABLE (package_id bigint, unit_code varchar) LANGUAGE sql AS $$
  WITH chain AS (
    SELECT a.code
    FROM units AS u, unnest(string_to_array(rtrim(u.path, '.'), '.')) AS a(code)
    WHERE u.code = p_unit AND (p_include_self OR a.code <> p_unit)
  ), marked AS (
    UPDATE packages AS p SET stale_at = now(), stale_cause = p_cause, stale_unit_code = p_unit
    FROM chain
    WHERE p.campaign_id = p_campaign AND p.unit_code = chain.code AND p.stale_at IS NULL
      AND p.status IN ('submitted', 'approved')
      AND p.version_no = (SELECT max(q.version_no) FROM packages AS q WHERE q.campaign_id = p_campaign AND q.unit_code = chain.code)
    RETURNING p.id, p.unit_code, p.receiver_code, p.version_no, p.status
  ), told AS (
    INSERT INTO notifications (unit_code, kind, title, body, link)
    SELECT DISTINCT ON (t.code) t.code, 'chain_stale', t.title, p_cause, '/units/' || t.code || '/submission'
    FROM (
      SELECT m.unit_code AS code, '本单位第 ' || m.version_no || ' 版报送需重新审核' AS title, 0 AS rank FROM marked AS m
      UNION ALL
      SELECT m.receiver_code, '下级单位 ' || m.unit_code || ' 的报送需重新审核', 1 FROM marked AS m WHERE m.receiver_code IS NOT NULL
    ) AS t
    ORDER BY t.code, t.rank
  ), audited AS (
    INSERT INTO audit_events (unit_code, action, target_type, target_id, before, after, reason)
    SELECT m.unit_code, 'package.marked_stale', 'package', m.id::text, jsonb_build_object('status', m.status),
      jsonb_build_object('staleUnitCode', p_unit), p_cause
    FROM marked AS m
  )
  SELECT m.id, m.unit_code FROM marked AS m;
$$;
--> statement-breakpoint
-- A record added, changed or removed at a school: every signed package above the school no longer holds
-- what the school has. Cheap when nothing is signed (the first check) and one lookup per school otherwise.
CREATE FUNCTION packages_stale_on_staff() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM packages WHERE stale_at IS NULL AND status IN ('submitted', 'approved')) THEN
    RETURN NULL;
  END IF;
  FOR changed IN
    SELECT DISTINCT r.campaign_id, r.school_code, u.name
    FROM (
      SELECT campaign_id, school_code FROM changed_rows
    ) AS r JOIN units AS u ON u.code = r.school_code
  LOOP
    PERFORM mark_chain_stale(changed.campaign_id, changed.school_code, '学校「' || changed.name || '」（' || changed.school_code || '）的教职工记录在报送后有改动', false);
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER packages_stale_staff_inserted AFTER INSERT ON staff REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION packages_stale_on_staff();
--> statement-breakpoint
-- An update names its new rows and, separately, its old ones (a record moved between schools changes both).
CREATE TRIGGER packages_stale_staff_updated AFTER UPDATE ON staff REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION packages_stale_on_staff();
--> statement-breakpoint
CREATE TRIGGER packages_stale_staff_updated_from AFTER UPDATE ON staff REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION packages_stale_on_staff();
--> statement-breakpoint
CREATE TRIGGER packages_stale_staff_deleted AFTER DELETE ON staff REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION packages_stale_on_staff();
