/**
 * Runs attempts as OS processes (Commons Exec): one session per attempt so its whole process tree
 * can be ended, logs pumped line by line with secrets masked, outputs and metrics collected.
 */
package dev.sluice.worker.exec;
