ALTER TABLE "packages" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
-- Approved packages were approved when they were last decided; a reopened one's approval is in the audit log.
UPDATE "packages" SET "approved_at" = "decided_at" WHERE "status" = 'approved';
--> statement-breakpoint
UPDATE "packages" AS p SET "approved_at" = a.approved
FROM (
  SELECT target_id, max("at") AS approved FROM "audit_events"
  WHERE "action" IN ('package.approved', 'package.final_approved') AND "target_type" = 'package'
  GROUP BY target_id
) AS a
WHERE p."approved_at" IS NULL AND p."return_category" = 'reopened' AND a.target_id = p."id"::text;
