import { z } from 'zod';

/** 专栏公告: an announcement of a level to its subtree. */
export const announcementSchema = z.object({ id: z.number(), unitCode: z.string(), unitName: z.string(), title: z.string(), body: z.string(), pinned: z.boolean(), publishedAt: z.string() });
/** 资料库: a file a level offers its subtree, with its download count. */
export const libraryFileSchema = z.object({ id: z.number(), unitCode: z.string(), unitName: z.string(), title: z.string(), name: z.string(), size: z.number(), contentType: z.string(), downloads: z.number(), uploadedAt: z.string() });

/** GET /api/resources: `abilities.manage` for the admin of the caller's unit (publishing, uploading, removing). */
export const resourcesSchema = z.object({ announcements: z.array(announcementSchema), files: z.array(libraryFileSchema), abilities: z.object({ manage: z.boolean() }) });

export type Announcement = z.infer<typeof announcementSchema>;
export type LibraryFile = z.infer<typeof libraryFileSchema>;
export type Resources = z.infer<typeof resourcesSchema>;
