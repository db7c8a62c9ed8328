// The lab page's state (viz/src/lib/lab/lab.ts): link settings, kept progress, the two hand-ins (Markdown and a
// printable page, with everything the student typed escaped) and the spiral action task's answer line.
import { describe, it, expect } from 'vitest';
import { labSettings, readProgress, recordAttempt, summaryMarkdown, summaryHtml, actionAnswer } from '../../viz/src/lib/lab/lab.js';
import { LAB_TASKS, type LabTask } from '../../core/lab/tasks.js';

const text = (t: LabTask, a: string) => a;
const day = new Date('2026-12-05T10:00:00Z');

describe('the lab page state', () => {
  it('a teacher set keeps only known ids, in order, and lock needs a set', () => {
    const { settings, notices } = labSettings({ tasks: 'cnn-flatten,nope,week3-parameters,cnn-flatten', lock: '1' });
    expect(settings.tasks.map((t) => t.id)).toEqual(['cnn-flatten', 'week3-parameters']);
    expect(settings.lock).toBe(true);
    expect(notices.join(' ')).toMatch(/"nope"/);
    expect(labSettings({ lock: '1' }).settings.lock).toBe(false);
  });

  it('progress read back ignores what is malformed and counts tries', () => {
    expect(readProgress('{"week3-parameters":{"answer":"83","right":true,"tries":1,"at":1},"x":{}}')).toEqual({ 'week3-parameters': { answer: '83', right: true, tries: 1, at: 1 } });
    expect(readProgress('[1]')).toEqual({});
    expect(readProgress('not json')).toEqual({});
    const p = recordAttempt(recordAttempt({}, 'week3-parameters', '83', true, 1), 'week3-parameters', '70', false, 2);
    expect(p['week3-parameters']).toEqual({ answer: '83', right: true, tries: 2, at: 1 });
  });

  it('the printable hand-in has every task, the answers given, and escapes what the student typed', () => {
    const progress = recordAttempt({}, 'week3-parameters', '<script>alert(1)</script> & "x"', false, 1);
    const html = summaryHtml(LAB_TASKS, progress, text, day);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(html.match(/<tr><td>\d+<\/td>/g)).toHaveLength(LAB_TASKS.length);
    expect(html).toContain('0 of ' + LAB_TASKS.length + ' tasks checked right by the page, 2026-12-05');
    expect(html).toMatch(/@page/);
    const md = summaryMarkdown(LAB_TASKS, recordAttempt({}, 'cnn-flatten', '9216', true, 1), text, day);
    expect(md).toContain('1 of ' + LAB_TASKS.length + ' tasks checked right, 2026-12-05');
  });

  it('the spiral task records the Playground as it was checked', () => {
    expect(actionAnswer({})).toBe('the Playground was not opened');
    expect(actionAnswer({ playground: () => ({ data: 'spiral', problem: 'classification', noise: 0, ratio: 50, features: ['x1', 'sinX1'], hidden: [8, 4], epoch: 20, trainLoss: 0.02, testLoss: 0.0274 }) }))
      .toBe('spiral, 12 hidden neurons (8 + 4), features x1 sinX1, test loss 0.027 at epoch 20');
  });
});
