/**
 * Runs attempts as OS processes (Commons Exec): one environment cookie and, where the machine
 * allows it, one cgroup per attempt so its whole process tree can be ended, a watchdog outside the
 * JVM for a remote worker's lease, logs pumped line by line with secrets masked, outputs and
 * metrics collected.
 */
package dev.sluice.worker.exec;
