/**
 * The HTTP server: Vert.x started and stopped by {@link dev.sluice.engine.server.Server}, one thin
 * verticle that only wires routes to the handlers of {@code dev.sluice.engine.api}.
 */
package dev.sluice.engine.server;
