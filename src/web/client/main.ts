// Entry of the browser bundle: finds islands by their data-island attribute and
// starts the ones on this page. Pages work without it; it only adds to them.
import { startAccount } from './account.js';
import { startComments } from '../../modules/comments/client/comments.js';
import { startReactions } from '../../modules/reactions/client/reactions.js';
import { startTypos } from '../../modules/typos/client/typos.js';
import { startBeacon } from '../../modules/audience/client/beacon.js';
import { startRecommend } from '../../modules/audience/client/recommend.js';
import { startForumTopic } from '../../modules/forums/client/topic.js';
import { startLive } from '../../modules/live/client/live.js';
import { startMessagesInbox, startMessagesThread } from '../../modules/messages/client/messages.js';
import { startDatingTeaser } from '../../modules/dating/client/teaser.js';
import { startDatingSwipe } from '../../modules/dating/client/swipe.js';
import { startAdView } from '../../modules/classifieds/client/ad-view.js';
import { startAdPhone } from '../../modules/classifieds/client/ad-phone.js';
import { startAdPhotos } from '../../modules/classifieds/client/ad-photos.js';

const islands: Record<string, (el: HTMLElement) => void | Promise<void>> = {
  account: startAccount,
  comments: startComments,
  reactions: startReactions,
  typos: startTypos,
  recommend: startRecommend,
  'forum-topic': startForumTopic,
  live: startLive,
  'messages-thread': startMessagesThread,
  'messages-inbox': startMessagesInbox,
  'dating-teaser': startDatingTeaser,
  'dating-swipe': startDatingSwipe,
  'ad-view': startAdView,
  'ad-phone': startAdPhone,
  'ad-photos': startAdPhotos,
};

for (const el of document.querySelectorAll<HTMLElement>('[data-island]')) {
  const start = islands[el.dataset.island!];
  if (start) start(el);
}

// Every article page counts a view (audience module); no markup needed beyond the article's id.
const article = document.querySelector<HTMLElement>('article[data-article-id]');
if (article) startBeacon(article);
