CREATE TABLE "import_issues" (
	"import_id" bigint NOT NULL,
	"seq" integer NOT NULL,
	"row" integer NOT NULL,
	"column" integer,
	"field" varchar(32),
	"code" varchar(32) NOT NULL,
	"severity" varchar(8) NOT NULL,
	"message" text NOT NULL,
	"message_en" text NOT NULL,
	CONSTRAINT "import_issues_import_id_seq_pk" PRIMARY KEY("import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "import_rows" (
	"import_id" bigint NOT NULL,
	"row" integer NOT NULL,
	"action" varchar(12) NOT NULL,
	"staff_id" bigint,
	"staff_version" integer,
	"values" jsonb,
	"changes" jsonb,
	"warnings" jsonb,
	CONSTRAINT "import_rows_import_id_row_pk" PRIMARY KEY("import_id","row")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"school_code" varchar(10) NOT NULL,
	"file_name" text NOT NULL,
	"file_size" integer NOT NULL,
	"file_sha256" varchar(64) NOT NULL,
	"original_file_id" bigint,
	"mode" varchar(12) NOT NULL,
	"upload_token" varchar(64),
	"status" varchar(12) NOT NULL,
	"format" varchar(8),
	"sheet_name" text,
	"header_row" integer,
	"columns" jsonb,
	"rows" integer DEFAULT 0 NOT NULL,
	"counts" jsonb NOT NULL,
	"committed_counts" jsonb,
	"error_message" jsonb,
	"uploaded_by" integer NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_by" integer,
	"committed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "stored_files" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stored_files_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_issues" ADD CONSTRAINT "import_issues_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_school_code_units_code_fk" FOREIGN KEY ("school_code") REFERENCES "public"."units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_original_file_id_stored_files_id_fk" FOREIGN KEY ("original_file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_issues_filter_idx" ON "import_issues" USING btree ("import_id","field","code");--> statement-breakpoint
CREATE INDEX "import_rows_action_idx" ON "import_rows" USING btree ("import_id","action");--> statement-breakpoint
CREATE INDEX "imports_school_idx" ON "imports" USING btree ("school_code","uploaded_at");