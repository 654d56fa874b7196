/**
 * The messages a worker accepts and sends, as records. They carry facts (commands, exit codes,
 * times, hashes); only the engine decides states.
 */
package dev.sluice.worker.protocol;
