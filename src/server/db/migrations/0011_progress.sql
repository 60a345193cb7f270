CREATE TABLE "progress_days" (
	"campaign_id" integer NOT NULL,
	"unit_code" varchar(10) NOT NULL,
	"day" date NOT NULL,
	"entered" integer NOT NULL,
	"confirmed" integer NOT NULL,
	"approved" integer NOT NULL,
	CONSTRAINT "progress_days_campaign_id_unit_code_day_pk" PRIMARY KEY("campaign_id","unit_code","day")
);
--> statement-breakpoint
CREATE TABLE "progress_school_counts" (
	"campaign_id" integer NOT NULL,
	"school_code" varchar(10) NOT NULL,
	"entered" integer DEFAULT 0 NOT NULL,
	"confirmed" integer DEFAULT 0 NOT NULL,
	"approved" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "progress_school_counts_campaign_id_school_code_pk" PRIMARY KEY("campaign_id","school_code")
);
--> statement-breakpoint
ALTER TABLE "progress_days" ADD CONSTRAINT "progress_days_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_days" ADD CONSTRAINT "progress_days_unit_code_units_code_fk" FOREIGN KEY ("unit_code") REFERENCES "public"."units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_school_counts" ADD CONSTRAINT "progress_school_counts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_school_counts" ADD CONSTRAINT "progress_school_counts_school_code_units_code_fk" FOREIGN KEY ("school_code") REFERENCES "public"."units"("code") ON DELETE no action ON UPDATE no action;