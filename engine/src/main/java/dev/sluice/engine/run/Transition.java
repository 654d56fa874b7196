package dev.sluice.engine.run;

/** The answer of {@link Transitions}: the next state, or why the event does not apply. */
public sealed interface Transition<S extends Enum<S>> {

    record Accepted<S extends Enum<S>>(S next) implements Transition<S> {}

    record Rejected<S extends Enum<S>>(String reason) implements Transition<S> {}

    default boolean accepted() {
        return this instanceof Accepted;
    }

    /** The next state; throws {@link IllegalStateException} when rejected. */
    default S next() {
        if (this instanceof Accepted<S> a) return a.next();
        throw new IllegalStateException(((Rejected<S>) this).reason());
    }
}
