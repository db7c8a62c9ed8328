// The wording of the notices a link gets when it asks for what the view cannot show, in one place for route.ts and
// inspectRoute.ts: a setting reads back as it was written in the link, `key=value`, then why, then what is used.
//   `size=9 is not offered (2, 3, 4); nearest: using 4.`      `rotate=abc is not a number: using the default, 0.`
//   `mode=x is not a setting of the units view: left out.`

/** A link value as it may appear in a notice: at most 24 characters (a hostile link cannot flood the page). */
export const clip = (text: string) => (text.length > 24 ? `${text.slice(0, 24)}…` : text);

/** An own property only: a link's `constructor=…` or `__proto__=…` never reaches a prototype's. */
export const own = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** The notice for a link setting the view changed: `key=value <why>: using <used>.`, or `…: left out.` (used null). */
export function settingNotice(key: string, given: string, why: string, used: string | null): string {
  return `${clip(key)}=${clip(given)} ${why}: ${used === null ? 'left out' : `using ${used}`}.`;
}
