// The module's addresses, for other modules' links.
import type { Party } from './parties.js';
import { partyKey } from './parties.js';
import type { SubjectRef } from '../../platform/subjects.js';

export const threadPath = (conversationId: number) => `/me/messages/${conversationId}`;

/** The «Написать» page (GET shows the form; the form posts to /me/messages/start). */
export const startPath = (subject: SubjectRef, to: Party) => `/me/messages/start?kind=${encodeURIComponent(subject.kind)}&id=${subject.id}&to=${partyKey(to)}`;
