ALTER TABLE "campaigns" ADD COLUMN "status" varchar(12) DEFAULT 'draft' NOT NULL;--> statement-breakpoint
UPDATE "campaigns" SET "status" = CASE WHEN "active" AND "id" = (SELECT max("id") FROM "campaigns" WHERE "active") THEN 'running' ELSE 'closed' END;--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_one_running_idx" ON "campaigns" USING btree ("status") WHERE "campaigns"."status" = 'running';--> statement-breakpoint
ALTER TABLE "campaigns" DROP COLUMN "active";--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_status_check" CHECK ("campaigns"."status" in ('draft', 'running', 'closed'));