package dev.sluice.engine.expr;

/**
 * Something wrong with an expression, found before it runs.
 *
 * @param offset  char index in the expression text, or -1 when unknown
 * @param code    a stable code: {@code bad-expression}, {@code unknown-name}, {@code not-upstream},
 *                {@code type-error}
 * @param message for a person, one line
 * @param hint    a suggestion, or null
 */
public record ExpressionIssue(int offset, String code, String message, String hint) {
}
