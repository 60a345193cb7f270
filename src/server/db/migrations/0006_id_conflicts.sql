CREATE TABLE "id_conflicts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "id_conflicts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"id_number" varchar(30) NOT NULL,
	"holder_staff_id" bigint NOT NULL,
	"holder_school_code" varchar(10) NOT NULL,
	"claimant_school_code" varchar(10) NOT NULL,
	"claimant_name" text,
	"import_id" bigint,
	"status" varchar(12) DEFAULT 'open' NOT NULL,
	"resolution" varchar(16),
	"note" text,
	"resolved_by" integer,
	"resolved_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "id_conflicts" ADD CONSTRAINT "id_conflicts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "id_conflicts" ADD CONSTRAINT "id_conflicts_holder_staff_id_staff_id_fk" FOREIGN KEY ("holder_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "id_conflicts" ADD CONSTRAINT "id_conflicts_holder_school_code_units_code_fk" FOREIGN KEY ("holder_school_code") REFERENCES "public"."units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "id_conflicts" ADD CONSTRAINT "id_conflicts_claimant_school_code_units_code_fk" FOREIGN KEY ("claimant_school_code") REFERENCES "public"."units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "id_conflicts_holder_idx" ON "id_conflicts" USING btree ("holder_school_code","status");--> statement-breakpoint
CREATE INDEX "id_conflicts_claimant_idx" ON "id_conflicts" USING btree ("claimant_school_code","status");--> statement-breakpoint
CREATE UNIQUE INDEX "id_conflicts_open_idx" ON "id_conflicts" USING btree ("campaign_id","id_number","claimant_school_code") WHERE "id_conflicts"."status" = 'open';