/**
 * Schedules: when a cron in an IANA zone ticks (daylight-saving time as the spec says), which
 * ticks are due after downtime, and the cron in words. Pure: no clock, threads, Vert.x or JDBC.
 */
package dev.sluice.engine.schedule;
