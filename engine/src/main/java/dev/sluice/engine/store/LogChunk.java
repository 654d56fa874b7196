package dev.sluice.engine.store;

/**
 * A piece of an attempt's stored log: whole lines, each ending in a newline.
 *
 * @param id grows with every chunk written, so "the chunks after N" is what a follower has not seen
 */
public record LogChunk(long id, String text) {}
