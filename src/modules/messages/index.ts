// What other modules may use of messages: `app.messages` (the contract: policies,
// start, send, remove, partyGone, between, receivedFrom, unreadCount), its shapes, the party
// helpers, the settings and the module's plugin. Classifieds and dating register a
// `ConversationPolicy` for their subject kind and post their «Написать» forms to
// `/me/messages/start`; the `message.sent` event (platform/events.ts) tells them
// what was sent.
export type { Party, ConversationPolicy, Messages, StartInput, SendInput, ReceivedMessage } from './service.js';
export { partyKey, parseParty, pairKey } from './parties.js';
export { MESSAGE_SETTINGS } from './settings.js';
export { startPath, threadPath } from './paths.js';
export { default } from './routes.js';

/** The tables messages owns; no other module queries them. */
export const tables = ['message_conversations', 'message_participants', 'messages', 'message_blocks'] as const;
