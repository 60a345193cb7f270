ALTER TABLE "staff" ADD CONSTRAINT "staff_status_check" CHECK ("staff"."status" in ('draft', 'awaiting_confirmation', 'correction_requested', 'confirmed', 'approved', 'returned'));--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_confirmed_via_check" CHECK ("staff"."confirmed_via" in ('phone', 'paper'));--> statement-breakpoint
ALTER TABLE "staff_events" ADD CONSTRAINT "staff_events_from_state_check" CHECK ("staff_events"."from_state" in ('draft', 'awaiting_confirmation', 'correction_requested', 'confirmed', 'approved', 'returned'));--> statement-breakpoint
ALTER TABLE "staff_events" ADD CONSTRAINT "staff_events_to_state_check" CHECK ("staff_events"."to_state" in ('draft', 'awaiting_confirmation', 'correction_requested', 'confirmed', 'approved', 'returned'));--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_mode_check" CHECK ("imports"."mode" in ('lenient', 'strict'));--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_status_check" CHECK ("imports"."status" in ('checking', 'previewed', 'committed', 'failed'));--> statement-breakpoint
ALTER TABLE "package_items" ADD CONSTRAINT "package_items_confirmed_via_check" CHECK ("package_items"."confirmed_via" in ('phone', 'paper'));--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_status_check" CHECK ("packages"."status" in ('submitted', 'approved', 'returned'));--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_return_category_check" CHECK ("packages"."return_category" in ('data_error', 'missing_people', 'count_mismatch', 'other', 'reopened'));--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_category_check" CHECK ("questions"."category" in ('indicator', 'operation', 'technical', 'data'));--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_status_check" CHECK ("questions"."status" in ('open', 'answered', 'escalated', 'closed'));