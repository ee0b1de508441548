export { announcementId, announcementRecord, DEFAULT_ANNOUNCEMENT_DAYS, type AnnouncementInput } from "./record.js";
