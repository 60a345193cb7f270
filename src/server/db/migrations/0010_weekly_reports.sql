CREATE TABLE "weekly_report_signatures" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "weekly_report_signatures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"report_id" bigint NOT NULL,
	"step" varchar(16) NOT NULL,
	"account_id" integer NOT NULL,
	"signer_name" text NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "weekly_reports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "weekly_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"unit_code" varchar(10) NOT NULL,
	"issue_no" smallint NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"snapshot" jsonb,
	"snapshot_as_of" timestamp with time zone,
	"snapshot_at" timestamp with time zone,
	"remarks" text,
	"status" varchar(16) DEFAULT 'draft' NOT NULL,
	"submitted_by" integer,
	"submitted_at" timestamp with time zone,
	"late" boolean,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "weekly_report_signatures" ADD CONSTRAINT "weekly_report_signatures_report_id_weekly_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."weekly_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weekly_reports" ADD CONSTRAINT "weekly_reports_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weekly_reports" ADD CONSTRAINT "weekly_reports_unit_code_units_code_fk" FOREIGN KEY ("unit_code") REFERENCES "public"."units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "weekly_report_signatures_report_idx" ON "weekly_report_signatures" USING btree ("report_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "weekly_report_signatures_step_idx" ON "weekly_report_signatures" USING btree ("report_id","step") WHERE "weekly_report_signatures"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "weekly_reports_unit_issue_idx" ON "weekly_reports" USING btree ("campaign_id","unit_code","issue_no");--> statement-breakpoint
CREATE INDEX "weekly_reports_issue_idx" ON "weekly_reports" USING btree ("campaign_id","issue_no","status");