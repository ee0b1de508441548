export { announcementId, announcementRecord, DEFAULT_ANNOUNCEMENT_DAYS, type AnnouncementInput } from "./record.js";
export { createMemoryAnnouncements, createRedisAnnouncements, MAX_ANNOUNCEMENTS, type AnnouncementStore } from "./store.js";
