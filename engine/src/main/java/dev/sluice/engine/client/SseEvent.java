package dev.sluice.engine.client;

/**
 * One Server-Sent Event.
 *
 * @param id    the event's {@code id:} field, or null when it had none
 * @param event the {@code event:} field ({@code message} when absent)
 * @param data  the {@code data:} lines joined with newlines
 */
public record SseEvent(String id, String event, String data) {}
