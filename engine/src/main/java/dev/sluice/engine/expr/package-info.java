/**
 * {@code ${{ }}} expressions: CEL (dev.cel:cel), sandboxed, type-checked when a pipeline is
 * validated, evaluated when a task is dispatched; shell quoting of substituted values.
 */
package dev.sluice.engine.expr;
