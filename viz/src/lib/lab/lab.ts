// The lab page's state as plain data (tested in Node): which tasks a link shows, the answers kept in this
// browser, and the summary a student hands in.
import { LAB_TASKS, taskById, type LabTask } from '../../../../core/lab/tasks.js';

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

/** One more attempt at a task: a right answer stays right; tries count every check. */
export function recordAttempt(progress: Progress, id: string, answer: string, right: boolean, at = Date.now()): Progress {
  const before = Object.hasOwn(progress, id) ? progress[id] : undefined;
  return { ...progress, [id]: { answer, right: right || (before?.right ?? false), tries: (before?.tries ?? 0) + 1, at } };
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
