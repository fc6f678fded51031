import type { GroupForecast } from './types.js';

export type DueStatus = 'up_to_date' | 'due' | 'overdue' | 'complete';

/**
 * Where a patient stands for one vaccine group on `today`, for recall and reminder lists:
 * overdue from the past-due date on, due from the recommended date on, up to date before that.
 * "complete" covers every forecast without a next dose (complete, immune, aged out, not recommended).
 */
export function dueStatus(forecast: GroupForecast, today: string): DueStatus {
  if (forecast.status !== 'not_complete') return 'complete';
  if (forecast.pastDue && today >= forecast.pastDue) return 'overdue';
  if (forecast.recommended && today >= forecast.recommended) return 'due';
  return 'up_to_date';
}
