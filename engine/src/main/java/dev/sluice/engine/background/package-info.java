/**
 * Background threads of a server: one daemon loop that runs a turn, then sleeps until the next look
 * is due or it is woken. The cron service, the event triggers and the webhook deliveries run on it.
 */
package dev.sluice.engine.background;
