export const ru = {
  'error.organisation.not_found': 'Организация не найдена',
  'error.organisation.bad_role': 'Неизвестная роль в организации: «{role}»',
  'error.organisation.bad_slug': 'Адрес организации — от 1 до 80 латинских букв, цифр и дефисов',
  'error.organisation.bad_name': 'Название организации — от 2 до 120 символов',
  'error.organisation.slug_taken': 'Адрес «{slug}» уже занят другой организацией',
  'error.organisation.no_user': 'Такой учётной записи нет',
  'error.organisation.not_member': 'Этот человек не состоит в организации',
  'error.organisation.last_owner': 'У организации должен остаться хотя бы один владелец',
} as const;

export const en: { [K in keyof typeof ru]: string } = {
  'error.organisation.not_found': 'Organisation not found',
  'error.organisation.bad_role': 'Unknown organisation role: “{role}”',
  'error.organisation.bad_slug': 'An organisation address is 1 to 80 Latin letters, digits and hyphens',
  'error.organisation.bad_name': 'An organisation name is 2 to 120 characters',
  'error.organisation.slug_taken': 'The address “{slug}” is taken by another organisation',
  'error.organisation.no_user': 'No such account',
  'error.organisation.not_member': 'This person is not a member of the organisation',
  'error.organisation.last_owner': 'An organisation must keep at least one owner',
};
