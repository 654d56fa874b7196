package dev.sluice.engine.pipeline;

/** A param's type, taken from its default value. */
public enum ParamType {
    STRING, INTEGER, NUMBER, BOOLEAN
}
