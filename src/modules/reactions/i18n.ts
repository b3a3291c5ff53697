// Texts of the reaction bar and of the flood limits (shared with typo reports).
export const ru = {
  'reactions.title': 'Реакции',
  'reactions.LIKE': 'Лайк',
  'reactions.HAPPY': 'Смех',
  'reactions.SURPRISED': 'Удивление',
  'reactions.ANGRY': 'Гнев',
  'reactions.SAD': 'Печаль',
  'reactions.count': { one: '{n} реакция', few: '{n} реакции', many: '{n} реакций', other: '{n} реакции' },
  'reactions.unknownKind': 'Неизвестная реакция. Возможные: LIKE, HAPPY, SURPRISED, ANGRY, SAD',
  'reactions.noArticle': 'Статья не найдена',
  'reactions.failed': 'Не удалось сохранить реакцию. Попробуйте ещё раз.',
  'limits.tooMany': 'Слишком много запросов. Попробуйте снова через {wait}.',
  'limits.seconds': { one: '{n} секунду', few: '{n} секунды', many: '{n} секунд', other: '{n} секунды' },
  'limits.minutes': { one: '{n} минуту', few: '{n} минуты', many: '{n} минут', other: '{n} минуты' },
  'limits.hours': { one: '{n} час', few: '{n} часа', many: '{n} часов', other: '{n} часа' },
} as const;

type Text<T> = T extends string ? string : { [K in keyof T]: string };
export const en: { [K in keyof typeof ru]: Text<(typeof ru)[K]> } = {
  'reactions.title': 'Reactions',
  'reactions.LIKE': 'Like',
  'reactions.HAPPY': 'Laugh',
  'reactions.SURPRISED': 'Surprise',
  'reactions.ANGRY': 'Anger',
  'reactions.SAD': 'Sadness',
  'reactions.count': { one: '{n} reaction', few: '{n} reactions', many: '{n} reactions', other: '{n} reactions' },
  'reactions.unknownKind': 'Unknown reaction. Possible: LIKE, HAPPY, SURPRISED, ANGRY, SAD',
  'reactions.noArticle': 'Article not found',
  'reactions.failed': 'Could not save the reaction. Please try again.',
  'limits.tooMany': 'Too many requests. Try again in {wait}.',
  'limits.seconds': { one: '{n} second', few: '{n} seconds', many: '{n} seconds', other: '{n} seconds' },
  'limits.minutes': { one: '{n} minute', few: '{n} minutes', many: '{n} minutes', other: '{n} minutes' },
  'limits.hours': { one: '{n} hour', few: '{n} hours', many: '{n} hours', other: '{n} hours' },
};
