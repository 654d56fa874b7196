/**
 * Retention: deleting ended runs past an age or a count per pipeline, then the artifact files no
 * kept run, model version or other root references ({@code sluice gc}, the server's {@code --retention}).
 */
package dev.sluice.engine.retention;
