/**
 * The command line's client of a running server: JSON calls over {@link java.net.http.HttpClient},
 * and Server-Sent Events streams (run events, log follow) with reconnection. Knows the API's
 * paths and error shape, nothing of the engine's internals.
 */
package dev.sluice.engine.client;
