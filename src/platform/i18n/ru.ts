// Russian, the portal's first language. Keys are English and say where the text is
// used; a value with plural forms is an object keyed by Intl.PluralRules categories.
// A module keeps its own texts in `modules/<name>/i18n.ts` (exporting `ru` and
// `en`) and spreads them in here and in en.ts, one line each.
import { ru as newsroomRU } from '../../modules/newsroom/i18n.js';
import { ru as audienceRU } from '../../modules/audience/i18n.js';
import { ru as searchRU } from '../../modules/search/i18n.js';
import { ru as reactionsRU } from '../../modules/reactions/i18n.js';
import { ru as typosRU } from '../../modules/typos/i18n.js';
import { ru as commentsRU } from '../../modules/comments/i18n.js';
import { ru as moderationRU } from '../../modules/moderation/i18n.js';
import { ru as infoPagesRU } from '../../modules/info-pages/i18n.js';
import { ru as wordpressImportRU } from '../../modules/wordpress-import/i18n.js';
import { ru as forumsRU } from '../../modules/forums/i18n.js';
import { ru as newsletterRU } from '../../modules/newsletter/i18n.js';
import { ru as liveRU } from '../../modules/live/i18n.js';
import { ru as datingRU } from '../../modules/dating/i18n.js';
import { ru as messagesRU } from '../../modules/messages/i18n.js';
import { ru as classifiedsRU } from '../../modules/classifieds/i18n.js';
import { ru as accountsRU } from '../../modules/accounts/i18n.js';
import { ru as organisationsRU } from '../../modules/organisations/i18n.js';
import { ru as notificationsRU } from '../../modules/notifications/i18n.js';
import { ru as mediaRU } from '../../modules/media/i18n.js';
export const ru = {
  'site.tagline': 'Новости города',
  'nav.main': 'Рубрики',
  'nav.skip': 'Перейти к содержанию',
  'nav.home': 'Главная',
  'nav.siteSearch': 'Поиск по сайту',
  'nav.search': 'Поиск',
  'nav.signIn': 'Войти',
  'nav.signOut': 'Выйти',
  'nav.register': 'Регистрация',
  'nav.profile': 'Профиль',
  'nav.allRubrics': 'Все рубрики',
  'date.yesterday': 'вчера, {time}',
  'footer.about': 'Городской портал на движке «Город». Все материалы демо-версии вымышлены.',
  'footer.sections': 'Разделы',
  'footer.info': 'О портале',
  'footer.forums': 'Форумы',
  'footer.classifieds': 'Объявления',
  'footer.dating': 'Знакомства',
  'footer.ageTitle': 'Для читателей старше 18 лет',
  'footer.founder': 'Учредитель: {name}',
  'footer.editorInChief': 'Главный редактор: {name}',
  'footer.registration': 'Регистрационный номер СМИ: {number}',
  'footer.rss': 'RSS',
  'footer.lang': 'English',

  'type.news': 'Новости',
  'type.opinion': 'Мнение',
  'type.feature': 'Статья',

  'home.title': 'Главные новости',
  'home.latest': 'Последние новости',
  'home.opinions': 'Мнения',
  'home.allNews': 'Все новости',
  'widget.top5': 'ТОП 5',
  'widget.related': 'По теме',
  'section.more': 'Ещё в рубрике',
  'article.authors': 'Авторы',
  'article.published': 'Опубликовано',
  'article.updated': 'Обновлено',
  'article.tags': 'Теги',
  'article.story': 'Сюжет',
  'article.breadcrumb': 'Навигация по рубрикам',
  'article.photo': 'Фото',
  'article.embedLink': 'Смотреть видео',
  'article.readMore': 'Читать полностью',
  'article.draftNotice': 'Черновик: статья ещё не опубликована',
  'pager.label': 'Страницы',
  'pager.prev': '← Новее',
  'pager.next': 'Старше →',
  'pager.page': 'Страница {page}',
  'list.empty': 'Здесь пока нет материалов.',
  'author.articles': 'Материалы автора',
  'tag.title': 'Тег: {tag}',
  'story.title': 'Сюжет: {story}',
  'articles.count': { one: '{n} материал', few: '{n} материала', many: '{n} материалов', other: '{n} материала' },
  'comments.count': { one: '{n} комментарий', few: '{n} комментария', many: '{n} комментариев', other: '{n} комментария' },
  'minutes.ago': { one: '{n} минуту назад', few: '{n} минуты назад', many: '{n} минут назад', other: '{n} минуты назад' },
  'hours.ago': { one: '{n} час назад', few: '{n} часа назад', many: '{n} часов назад', other: '{n} часа назад' },

  'error.404.title': 'Страница не найдена',
  'error.404.text': 'Такой страницы нет. Возможно, её удалили или в адресе опечатка.',
  'error.400.title': 'Неверный запрос',
  'error.403.title': 'Доступ запрещён',
  'error.403.text': 'У вас нет прав для этого действия.',
  'error.413.title': 'Слишком большой запрос',
  'error.429.title': 'Слишком много запросов',
  'error.429.text': 'Вы отправляете запросы слишком часто. Подождите немного и попробуйте снова.',
  'error.429.wait': '{text} ({seconds} с)',
  'error.500.title': 'Ошибка на сервере',
  'error.500.text': 'Что-то пошло не так. Мы уже знаем об ошибке; попробуйте обновить страницу позже.',
  'error.back': 'Вернуться на главную',
  'error.badPage': 'Номер страницы должен быть целым числом от 1 до 1000',
  'error.badPath': 'Адрес страницы повреждён',
  'error.csrf': 'Форма устарела или отправлена с другого сайта. Обновите страницу и попробуйте снова.',
  'error.validation': 'Неверные данные: {details}',
  'error.badRequest': 'Неверный запрос',
  'error.noSuchNumber': 'Нет ничего под номером {id}',
  'error.badDate': 'Неверная дата «{value}»: нужна дата вида 2026-12-31 (год из четырёх цифр)',
  'error.unauthorized': 'Нужно войти на сайт',

  'auth.signIn.title': 'Вход',
  'auth.signIn.submit': 'Войти',
  'auth.signIn.failed': 'Неверный e-mail или пароль',
  'auth.signIn.unconfirmed': 'Подтвердите e-mail: мы отправили ссылку на {email}',
  'auth.signIn.noAccount': 'Нет аккаунта?',
  'auth.email': 'E-mail',
  'auth.password': 'Пароль',
  'auth.displayName': 'Имя на сайте',
  'auth.register.title': 'Регистрация',
  'auth.register.submit': 'Зарегистрироваться',
  'auth.register.sent': 'Мы отправили письмо на {email}. Перейдите по ссылке в нём, чтобы подтвердить адрес.',
  'auth.register.taken': 'Этот e-mail уже зарегистрирован',
  'auth.register.badEmail': 'Введите настоящий e-mail',
  'auth.register.badName': 'Имя должно быть от 2 до 40 символов',
  'auth.confirm.ok': 'Адрес подтверждён. Добро пожаловать!',
  'auth.confirm.bad': 'Ссылка недействительна или устарела.',
  'auth.signOut.title': 'Выход',
  'auth.signOut.submit': 'Выйти из аккаунта',
  'auth.signedInAs': 'Вы вошли как {name}',
  'auth.tooMany': 'Слишком много попыток. Подождите немного.',
  'admin.title': 'Редакция',
  'admin.dashboard': 'Обзор',
  'admin.toSite': 'На сайт →',
  'mail.confirm.subject': 'Подтвердите e-mail на портале «{site}»',
  'mail.confirm.body': 'Здравствуйте, {name}!\n\nЧтобы подтвердить адрес, откройте ссылку:\n{link}\n\nЕсли вы не регистрировались, просто удалите это письмо.',
  'error.setting.invalid': 'Недопустимое значение настройки «{key}»',
  // ---- module catalogs ----
  ...newsroomRU,
  ...audienceRU,
  ...searchRU,
  ...reactionsRU,
  ...typosRU,
  ...commentsRU,
  ...moderationRU,
  ...accountsRU,
  ...organisationsRU,
  ...notificationsRU,
  ...mediaRU,
  ...infoPagesRU,
  ...wordpressImportRU,
  ...forumsRU,
  ...newsletterRU,
  ...liveRU,
  ...datingRU,
  ...messagesRU,
  ...classifiedsRU,
} as const;

export type Messages = { [K in keyof typeof ru]: (typeof ru)[K] extends string ? string : Partial<Record<Intl.LDMLPluralRule, string>> & { other: string } };
