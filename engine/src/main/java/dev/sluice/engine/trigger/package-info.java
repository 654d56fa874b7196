/**
 * Triggers that start runs on their own: the cron service that fires pipeline schedules, one run
 * per tick, never twice, with the rules of {@link dev.sluice.engine.schedule.CronTrigger}; and
 * {@link dev.sluice.engine.trigger.EventTriggers}, the runs started by events (another run's end, a
 * model alias move, an alert), each exactly once, with a run's alerts evaluated at its end.
 */
package dev.sluice.engine.trigger;
