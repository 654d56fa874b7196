/**
 * The Sluice worker: runs steps as OS processes. Depends on nothing of the engine, so the worker
 * jar carries no scheduler, HTTP server or database driver.
 */
package dev.sluice.worker;
