/**
 * Task reminders (issue 14): on a task's due day, from 8:00 Paris time, the case's assignee (else
 * whoever set the task) gets one e-mail through the outbox. The message names the case's type,
 * the due date and a link; nothing of the household (data minimisation: an e-mail leaves Lien).
 */
import { caseTypeLabels } from '../../../contracts/cases.ts';
import { frenchDay } from '../../../contracts/paris-time.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import type { MaintenanceTask } from '../../platform/jobs/maintenance.ts';
import { parisToday } from '../../platform/time.ts';
import { notifyUser } from '../identity/index.ts';
import { markReminded, tasksToRemind } from './cases.repository.ts';

/** Reminders start at this Paris hour on the due day. */
const REMIND_FROM_HOUR = 8;
/** Tasks handled per organisation and maintenance pass (each minute): the rest wait for the next pass. */
const BATCH = 500;

/** The maintenance task; `publicUrl` makes the link in the message. Safe to run twice: a task is reminded once. */
export function caseTaskReminders(jobs: Jobs, publicUrl: string): MaintenanceTask {
  return {
    name: 'case_task_reminders',
    run: async (trx, now, organisationId) => {
      // The Paris date of `now` minus 8 hours: today from 8:00, yesterday before.
      const through = parisToday(new Date(now.getTime() - REMIND_FROM_HOUR * 3_600_000));
      const tasks = await tasksToRemind(trx, through, BATCH);
      for (const t of tasks) {
        if (!t.recipient) continue;
        await notifyUser(trx, jobs, organisationId, {
          userId: t.recipient,
          subject: `Échéance d’une tâche le ${frenchDay(t.due_on)}`,
          body: `Une tâche d’un dossier « ${caseTypeLabels[t.case_type]} » qui vous concerne arrive à échéance le ${frenchDay(t.due_on)}.\n\nOuvrez le dossier dans Lien : ${publicUrl}/dossiers/${t.case_id}\n\nCe message ne contient volontairement aucune information sur le ménage.`,
          purpose: 'case_task_reminder',
          key: `case-task-reminder:${t.id}`,
        });
      }
      await markReminded(
        trx,
        tasks.map((t) => t.id),
        now,
      );
      return tasks.length;
    },
  };
}
