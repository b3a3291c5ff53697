// The password rule of every way a password is set (registration, the admin's new
// user, change, reset): 8 to 200 characters, not the e-mail, and not among the
// passwords people pick first. «Among the first» is zxcvbn's estimate (the
// well-kept @zxcvbn-ts port, with its common-password and keyboard lists) of fewer
// than 10^6 guesses (score 0 or 1): `12345678`, `password`, eight spaces, `qwerty123`,
// the e-mail or the name with a digit. zxcvbn-ts has no Russian package, so the
// Russian passwords that top the leaked lists (the Russian keyboard's rows,
// «пароль», common names and words) are added here as one more dictionary.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;
/** zxcvbn's score: 0–1 is under a million guesses, what an online attack tries first. */
const MIN_SCORE = 2;

const RUSSIAN = [
  'пароль', 'парол', 'йцукен', 'йцукенг', 'йцукенгш', 'йцукенгшщ', 'йцукенгшщз', 'йцукенгшщзхъ', 'фывапрол', 'фывапролдж', 'фывапролджэ', 'ячсмитьбю',
  'любовь', 'люблю', 'ялюблютебя', 'привет', 'солнышко', 'котик', 'зайка', 'россия', 'москва', 'наташа', 'максим', 'анастасия', 'александр',
  'андрей', 'сергей', 'дмитрий', 'владимир', 'екатерина', 'татьяна', 'светлана', 'ирина', 'елена', 'ольга', 'мария', 'марина', 'никита',
  'спартак', 'зенит', 'динамо', 'пупсик', 'ангел', 'счастье', 'свобода', 'секрет', 'вход', 'админ', 'администратор', 'город', 'новости',
];

// Loaded and built on first use: the dictionaries are 13 MB resident that an
// instance which never sets a password does not need.
let checker: Promise<ZxcvbnFactory> | undefined;
const zxcvbn = () =>
  (checker ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([{ ZxcvbnFactory }, common]) => new ZxcvbnFactory({ dictionary: { ...common.dictionary, russian: RUSSIAN }, graphs: common.adjacencyGraphs }),
  ));

export type PasswordProblem = 'short' | 'email' | 'common';

/**
 * What is wrong with a password, or null. `personal` holds what the account is known
 * by (its e-mail, its name): a password made of them is the first an attacker tries.
 */
export async function passwordProblem(password: string, personal: string[] = []): Promise<PasswordProblem | null> {
  if ([...password].length < PASSWORD_MIN || password.length > PASSWORD_MAX) return 'short';
  const lower = password.trim().toLowerCase();
  for (const value of personal) {
    const v = value.trim().toLowerCase();
    if (!v) continue;
    const local = v.includes('@') ? v.slice(0, v.indexOf('@')) : '';
    // The address anywhere in it, or the whole of its name part; what is merely
    // built on a name (`ivan2024`) is zxcvbn's to judge, with the same inputs.
    if (lower === v || (local && lower.includes(v)) || (local.length >= 3 && lower === local)) return 'email';
  }
  const inputs = personal.flatMap((v) => [v.trim().toLowerCase(), ...v.toLowerCase().split(/[@.\s_-]+/).filter((p) => p.length >= 3)]);
  // zxcvbn's time grows with the length (a repeated pattern of 48 takes a third of a second); past 32 characters no list holds the rest.
  return (await zxcvbn()).check(password.slice(0, 32), inputs).score < MIN_SCORE ? 'common' : null;
}
