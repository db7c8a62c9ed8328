// The lab page's state as plain data (tested in Node): which tasks a link shows, the answers kept in this
// browser, and the summary a student hands in.
import { LAB_TASKS, taskById, type LabFacts, type LabTask } from '../../../../core/lab/tasks.js';

/** `task` (the open one), `tasks` (a teacher's set, comma-separated ids) and `lock` (1: the set only, no solutions). */
export interface LabSettings { task: string | null; tasks: LabTask[]; lock: boolean }

/** A link's lab settings, unknown ids dropped with a notice, looked up as own properties only. */
export function labSettings(raw: Record<string, string>): { settings: LabSettings; notices: string[] } {
  const notices: string[] = [];
  const own = (key: string) => (Object.hasOwn(raw, key) ? raw[key] : undefined);
  const listed = own('tasks')?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
  const unknown = listed.filter((id) => !taskById(id));
  if (unknown.length) notices.push(`this link names ${unknown.length === 1 ? 'a task' : 'tasks'} the lab does not have (${unknown.slice(0, 3).map((id) => JSON.stringify(id.slice(0, 40))).join(', ')}${unknown.length > 3 ? ', …' : ''}): left out.`);
  const chosen = [...new Set(listed)].map(taskById).filter((t): t is LabTask => t !== undefined);
  const tasks = chosen.length ? chosen : LAB_TASKS;
  let task = own('task') ?? null;
  if (task !== null && !tasks.some((t) => t.id === task)) {
    notices.push(`there is no task ${JSON.stringify(task.slice(0, 40))}${chosen.length ? ' in this set' : ''}: showing the list.`);
    task = null;
  }
  const lockText = own('lock');
  if (lockText !== undefined && lockText !== '0' && lockText !== '1') notices.push(`lock is 0 or 1, not ${JSON.stringify(lockText.slice(0, 20))}: not locked.`);
  return { settings: { task, tasks, lock: lockText === '1' && chosen.length > 0 }, notices };
}

export interface Attempt { answer: string; right: boolean; tries: number; at: number }
export type Progress = Record<string, Attempt>;
export const PROGRESS_KEY = 'convlab-lab-progress';

/** Progress read back from storage; anything malformed is ignored (a fresh start), never thrown. */
export function readProgress(text: string | null): Progress {
  if (!text || text.length > 200_000) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const progress: Progress = {};
    for (const [id, value] of Object.entries(parsed as Record<string, unknown>)) {
      const a = value as Partial<Attempt> | null;
      if (taskById(id) && a && typeof a.answer === 'string' && typeof a.right === 'boolean' && Number.isInteger(a.tries) && typeof a.at === 'number') {
        progress[id] = { answer: a.answer.slice(0, 200), right: a.right, tries: a.tries!, at: a.at };
      }
    }
    return progress;
  } catch { return {}; }
}

/** One more attempt at a task: tries count every check; once right, the task stays right with the right answer
 *  (a later wrong try does not replace it in the hand-in). */
export function recordAttempt(progress: Progress, id: string, answer: string, right: boolean, at = Date.now()): Progress {
  const before = Object.hasOwn(progress, id) ? progress[id] : undefined;
  const tries = (before?.tries ?? 0) + 1;
  if (before?.right && !right) return { ...progress, [id]: { ...before, tries } };
  return { ...progress, [id]: { answer, right, tries, at } };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
/** The hand-in: one row per task with the student's last answer and whether it was checked right. */
export function summaryMarkdown(tasks: LabTask[], progress: Progress, answerText: (task: LabTask, answer: string) => string, date = new Date()): string {
  const done = tasks.filter((t) => progress[t.id]?.right).length;
  const rows = tasks.map((t) => {
    const a = Object.hasOwn(progress, t.id) ? progress[t.id] : undefined;
    return `| ${cell(t.source)} | ${cell(t.title)} | ${a ? cell(answerText(t, a.answer)) : '—'} | ${a ? (a.right ? 'right' : 'not yet') : 'not tried'} | ${a?.tries ?? 0} |`;
  });
  return [`# convlab lab: my answers`, '', `${done} of ${tasks.length} tasks checked right, ${date.toISOString().slice(0, 10)}.`, '',
    '| source | task | my answer | checked | tries |', '| --- | --- | --- | --- | --- |', ...rows, ''].join('\n');
}

/** What an action task records as the student's answer: the Playground's setup and loss when Check was pressed. */
export function actionAnswer(facts: LabFacts): string {
  const p = facts.playground?.() ?? null;
  if (!p) return 'the Playground was not opened';
  const neurons = p.hidden.reduce((a, b) => a + b, 0);
  return `${p.data}, ${neurons} hidden neurons (${p.hidden.join(' + ') || 'none'}), features ${p.features.join(' ')}, test loss ${Number.isFinite(p.testLoss) ? p.testLoss.toFixed(3) : p.testLoss} at epoch ${p.epoch}`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** The hand-in as a page to print or save as PDF (the browser's print dialog): each task with its question, the
 *  student's last answer and whether it was checked right. Everything the student typed is escaped. */
export function summaryHtml(tasks: LabTask[], progress: Progress, answerText: (task: LabTask, answer: string) => string, date = new Date()): string {
  const done = tasks.filter((t) => progress[t.id]?.right).length;
  const day = date.toISOString().slice(0, 10);
  const rows = tasks.map((t, i) => {
    const a = Object.hasOwn(progress, t.id) ? progress[t.id] : undefined;
    const status = a ? (a.right ? 'right' : 'not yet') : 'not tried';
    return `<tr><td>${i + 1}</td><td><b>${escapeHtml(t.title)}</b><br><small>${escapeHtml(t.source)}</small><p>${escapeHtml(t.question)}</p></td>`
      + `<td>${a ? escapeHtml(answerText(t, a.answer)) : '—'}</td><td class="${a?.right ? 'right' : 'open'}">${status}</td><td>${a?.tries ?? 0}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>convlab lab: my answers (${day})</title>
<style>
  @page { size: A4; margin: 16mm; }
  body { font: 11pt/1.4 system-ui, sans-serif; color: #111; max-width: 48rem; margin: 1rem auto; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border: 1px solid #999; padding: 4pt 6pt; vertical-align: top; text-align: left; }
  tr { break-inside: avoid; }
  td p { margin: 2pt 0 0; font-size: 9.5pt; color: #333; }
  .right { color: #145a23; font-weight: 600; }
  .open { color: #8a1f11; }
  .name { border-bottom: 1px solid #111; display: inline-block; min-width: 16rem; }
</style></head>
<body>
<h1>convlab lab: my answers</h1>
<p>Name: <span class="name">&nbsp;</span></p>
<p>${done} of ${tasks.length} tasks checked right by the page, ${day}. Print this page, or save it as PDF from the print dialog.</p>
<table><thead><tr><th>#</th><th>task</th><th>my answer</th><th>checked</th><th>tries</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</body></html>
`;
}
