/**
 * The REST API's handlers, one class per resource: they read a request, do the blocking work
 * (JDBC, files, parsing) off the event loop, and reply with JSON or a clear JSON error.
 */
package dev.sluice.engine.api;
