/**
 * Runs attempts as OS processes (Commons Exec): one session and one environment cookie per attempt
 * so its whole process tree can be ended, a watchdog outside the JVM for a remote worker's lease,
 * logs pumped line by line with secrets masked, outputs and metrics collected.
 */
package dev.sluice.worker.exec;
