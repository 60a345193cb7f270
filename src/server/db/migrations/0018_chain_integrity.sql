CREATE TABLE "confirmation_batches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "confirmation_batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"school_code" varchar(10) NOT NULL,
	"note" text NOT NULL,
	"record_count" integer NOT NULL,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "package_children" (
	"package_id" bigint NOT NULL,
	"child_package_id" bigint NOT NULL,
	CONSTRAINT "package_children_package_id_child_package_id_pk" PRIMARY KEY("package_id","child_package_id")
);
--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "closed_on" date;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "closed_reason" text;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "merged_into" varchar(10);--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "confirmed_via" varchar(8);--> statement-breakpoint
ALTER TABLE "staff_events" ADD COLUMN "batch_id" bigint;--> statement-breakpoint
ALTER TABLE "package_items" ADD COLUMN "content" jsonb;--> statement-breakpoint
ALTER TABLE "package_items" ADD COLUMN "confirmed_via" varchar(8);--> statement-breakpoint
ALTER TABLE "packages" ADD COLUMN "stale_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "packages" ADD COLUMN "stale_cause" text;--> statement-breakpoint
ALTER TABLE "packages" ADD COLUMN "stale_unit_code" varchar(10);--> statement-breakpoint
ALTER TABLE "packages" ADD COLUMN "shortfall_accepted_by" integer;--> statement-breakpoint
ALTER TABLE "packages" ADD COLUMN "shortfall_note" text;--> statement-breakpoint
ALTER TABLE "packages" ADD COLUMN "phone_confirmed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "packages" ADD COLUMN "paper_confirmed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "task_completions" ADD COLUMN "marked_by_unit_code" varchar(10);--> statement-breakpoint
ALTER TABLE "progress_school_counts" ADD COLUMN "confirmed_paper" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "confirmation_batches" ADD CONSTRAINT "confirmation_batches_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "confirmation_batches" ADD CONSTRAINT "confirmation_batches_school_code_units_code_fk" FOREIGN KEY ("school_code") REFERENCES "public"."units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_children" ADD CONSTRAINT "package_children_package_id_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_children" ADD CONSTRAINT "package_children_child_package_id_packages_id_fk" FOREIGN KEY ("child_package_id") REFERENCES "public"."packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "confirmation_batches_school_idx" ON "confirmation_batches" USING btree ("school_code","id");--> statement-breakpoint
-- The progress counters also count the confirmations registered on paper.
CREATE OR REPLACE FUNCTION progress_count_staff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition tables its event has.
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM progress_school_counts;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO progress_school_counts AS counts (campaign_id, school_code, entered, confirmed, confirmed_paper, approved)
    SELECT campaign_id, school_code, sum(sign),
      coalesce(sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')), 0),
      coalesce(sum(sign) FILTER (WHERE status IN ('confirmed', 'approved') AND confirmed_via = 'paper'), 0),
      coalesce(sum(sign) FILTER (WHERE status = 'approved'), 0)
    FROM (SELECT campaign_id, school_code, status, confirmed_via, 1 AS sign FROM new_rows WHERE deleted_at IS NULL) AS changed
    GROUP BY campaign_id, school_code
    HAVING sum(sign) <> 0 OR sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')) <> 0
      OR sum(sign) FILTER (WHERE status IN ('confirmed', 'approved') AND confirmed_via = 'paper') <> 0
      OR sum(sign) FILTER (WHERE status = 'approved') <> 0
    ORDER BY campaign_id, school_code
    ON CONFLICT (campaign_id, school_code) DO UPDATE SET
      entered = counts.entered + excluded.entered,
      confirmed = counts.confirmed + excluded.confirmed,
      confirmed_paper = counts.confirmed_paper + excluded.confirmed_paper,
      approved = counts.approved + excluded.approved;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO progress_school_counts AS counts (campaign_id, school_code, entered, confirmed, confirmed_paper, approved)
    SELECT campaign_id, school_code, sum(sign),
      coalesce(sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')), 0),
      coalesce(sum(sign) FILTER (WHERE status IN ('confirmed', 'approved') AND confirmed_via = 'paper'), 0),
      coalesce(sum(sign) FILTER (WHERE status = 'approved'), 0)
    FROM (SELECT campaign_id, school_code, status, confirmed_via, -1 AS sign FROM old_rows WHERE deleted_at IS NULL) AS changed
    GROUP BY campaign_id, school_code
    HAVING sum(sign) <> 0 OR sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')) <> 0
      OR sum(sign) FILTER (WHERE status IN ('confirmed', 'approved') AND confirmed_via = 'paper') <> 0
      OR sum(sign) FILTER (WHERE status = 'approved') <> 0
    ORDER BY campaign_id, school_code
    ON CONFLICT (campaign_id, school_code) DO UPDATE SET
      entered = counts.entered + excluded.entered,
      confirmed = counts.confirmed + excluded.confirmed,
      confirmed_paper = counts.confirmed_paper + excluded.confirmed_paper,
      approved = counts.approved + excluded.approved;
  ELSE
    INSERT INTO progress_school_counts AS counts (campaign_id, school_code, entered, confirmed, confirmed_paper, approved)
    SELECT campaign_id, school_code, sum(sign),
      coalesce(sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')), 0),
      coalesce(sum(sign) FILTER (WHERE status IN ('confirmed', 'approved') AND confirmed_via = 'paper'), 0),
      coalesce(sum(sign) FILTER (WHERE status = 'approved'), 0)
    FROM (SELECT campaign_id, school_code, status, confirmed_via, -1 AS sign FROM old_rows WHERE deleted_at IS NULL UNION ALL SELECT campaign_id, school_code, status, confirmed_via, 1 AS sign FROM new_rows WHERE deleted_at IS NULL) AS changed
    GROUP BY campaign_id, school_code
    HAVING sum(sign) <> 0 OR sum(sign) FILTER (WHERE status IN ('confirmed', 'approved')) <> 0
      OR sum(sign) FILTER (WHERE status IN ('confirmed', 'approved') AND confirmed_via = 'paper') <> 0
      OR sum(sign) FILTER (WHERE status = 'approved') <> 0
    ORDER BY campaign_id, school_code
    ON CONFLICT (campaign_id, school_code) DO UPDATE SET
      entered = counts.entered + excluded.entered,
      confirmed = counts.confirmed + excluded.confirmed,
      confirmed_paper = counts.confirmed_paper + excluded.confirmed_paper,
      approved = counts.approved + excluded.approved;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- How each confirmed record was confirmed: its last confirming step.
UPDATE staff AS s SET confirmed_via = CASE e.event WHEN 'confirm_on_paper' THEN 'paper' ELSE 'phone' END
FROM (
  SELECT DISTINCT ON (staff_id) staff_id, event FROM staff_events
  WHERE event IN ('confirm', 'accept_correction', 'confirm_on_paper')
  ORDER BY staff_id, id DESC
) AS e
WHERE s.id = e.staff_id AND s.status IN ('confirmed', 'approved');
--> statement-breakpoint
UPDATE staff SET confirmed_via = 'phone' WHERE confirmed_via IS NULL AND status IN ('confirmed', 'approved');
--> statement-breakpoint
-- Packages submitted before this migration: their records' content as it stands now (the best there is).
UPDATE package_items AS pi SET content = jsonb_build_array(s.name, s.former_name, s.sex, s.staff_no, s.nationality, s.id_type, s.id_number, s.birth_date, s.native_place, s.birth_place, s.ethnicity, s.political, s.marital, s.health, s.work_start, s.special_ed_start, s.school_join, s.staff_source, s.staff_category, s.on_payroll, s.employment_form, s.contract, s.highest_education, s.highest_degree, s.professional_title, s.normal_grad, s.special_ed_grad, s.special_ed_trained, s.special_ed_cert, s.it_ability, s.free_normal, s.grassroots, s.grassroots_start, s.grassroots_end, s.special_grade, s.county_backbone, s.psych_teacher, s.dual_teacher, s.department, s.remark), confirmed_via = s.confirmed_via
FROM staff AS s WHERE s.id = pi.staff_id;
--> statement-breakpoint
-- An area's package froze the child packages approved when it was submitted: the latest of each child then.
INSERT INTO package_children (package_id, child_package_id)
SELECT DISTINCT ON (p.id, q.unit_code) p.id, q.id
FROM packages AS p
JOIN units AS u ON u.code = p.unit_code AND u.kind <> 'school'
JOIN packages AS q ON q.campaign_id = p.campaign_id AND q.receiver_code = p.unit_code AND q.approved_at IS NOT NULL AND q.approved_at <= p.submitted_at
ORDER BY p.id, q.unit_code, q.version_no DESC;
--> statement-breakpoint
UPDATE packages AS p SET phone_confirmed = c.phone, paper_confirmed = c.paper
FROM (
  SELECT package_id, count(*) FILTER (WHERE confirmed_via = 'phone') AS phone, count(*) FILTER (WHERE confirmed_via = 'paper') AS paper
  FROM package_items GROUP BY package_id
) AS c
WHERE p.id = c.package_id;
--> statement-breakpoint
UPDATE packages AS p SET phone_confirmed = c.phone, paper_confirmed = c.paper
FROM (
  SELECT pc.package_id, sum(q.phone_confirmed) AS phone, sum(q.paper_confirmed) AS paper
  FROM package_children AS pc JOIN packages AS q ON q.id = pc.child_package_id GROUP BY pc.package_id
) AS c, units AS u
WHERE p.id = c.package_id AND u.code = p.unit_code AND u.depth = 2;
--> statement-breakpoint
UPDATE packages AS p SET phone_confirmed = c.phone, paper_confirmed = c.paper
FROM (
  SELECT pc.package_id, sum(q.phone_confirmed) AS phone, sum(q.paper_confirmed) AS paper
  FROM package_children AS pc JOIN packages AS q ON q.id = pc.child_package_id GROUP BY pc.package_id
) AS c, units AS u
WHERE p.id = c.package_id AND u.code = p.unit_code AND u.depth = 1 AND u.kind <> 'school';
--> statement-breakpoint
UPDATE packages AS p SET phone_confirmed = c.phone, paper_confirmed = c.paper
FROM (
  SELECT pc.package_id, sum(q.phone_confirmed) AS phone, sum(q.paper_confirmed) AS paper
  FROM package_children AS pc JOIN packages AS q ON q.id = pc.child_package_id GROUP BY pc.package_id
) AS c, units AS u
WHERE p.id = c.package_id AND u.code = p.unit_code AND u.depth = 0;
