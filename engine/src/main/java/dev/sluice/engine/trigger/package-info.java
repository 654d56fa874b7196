/**
 * Triggers that start runs on their own: the cron service that fires pipeline schedules, one run
 * per tick, never twice, with the rules of {@link dev.sluice.engine.schedule.CronTrigger}.
 */
package dev.sluice.engine.trigger;
