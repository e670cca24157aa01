import { open, type Classification } from '@mms/platform';

/**
 * Issue 19's fields of the events schema (merged into ../classification.ts): announcements and the news feed are the
 * service's own publications, about no person; all open.
 */
export const announcementClassification: Classification = {
  PageInfo: {
    hasNextPage: open,
    hasPreviousPage: open,
    startCursor: open,
    endCursor: open,
  },
  Announcement: {
    id: open,
    title: open,
    body: open,
    topic: open,
    audiences: open,
    municipalityId: open,
    url: open,
    status: open,
    publishedAt: open,
    pinned: open,
  },
  AnnouncementConnection: {
    edges: open,
    nodes: open,
    pageInfo: open,
    totalCount: open,
  },
  AnnouncementEdge: {
    cursor: open,
    node: open,
  },
  AnnouncementFilter: {
    municipalityId: open,
    status: open,
    topic: open,
    audience: open,
  },
  CreateAnnouncementInput: {
    title: open,
    body: open,
    topic: open,
    audiences: open,
    municipalityId: open,
    url: open,
    pinned: open,
    publish: open,
    publishedAt: open,
  },
  FeedItem: {
    kind: open,
    id: open,
    title: open,
    summary: open,
    url: open,
    publishedAt: open,
    pinned: open,
    municipalityId: open,
    topic: open,
  },
  Query: {
    announcements: open,
    'announcements(filter)': open,
    'announcements(first)': open,
    'announcements(after)': open,
    announcement: open,
    'announcement(id)': open,
    newsFeed: open,
    'newsFeed(municipalityId)': open,
    'newsFeed(first)': open,
  },
  Mutation: {
    createAnnouncement: open,
    'createAnnouncement(input)': open,
    publishAnnouncement: open,
    'publishAnnouncement(id)': open,
    'publishAnnouncement(publishedAt)': open,
    setAnnouncementPinned: open,
    'setAnnouncementPinned(id)': open,
    'setAnnouncementPinned(pinned)': open,
  },
};
