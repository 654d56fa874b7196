package dev.sluice.engine.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry as stored. Each write is one transaction. Alias moves are compare-and-set on
 * where the alias is now, and every move is appended to the alias history, with its note.
 * Implementations are thread-safe.
 */
public interface Registry {

    /**
     * Registers a version: the model is created on first use, the number is the last one plus one.
     * Idempotent per register attempt: when this run's task already registered a version (its
     * engine restarted before recording the step), that version is returned.
     */
    ModelVersion register(NewVersion version);

    /**
     * Points {@code alias} at {@code version} (null: deletes the alias) when it is where
     * {@code expected} says, recording the move.
     *
     * @throws AliasConflict     when it is elsewhere (nothing is changed)
     * @throws RegistryException for an unknown model or version, a bad alias name, or deleting an
     *                           alias that does not exist
     */
    MoveResult moveAlias(String model, String alias, Integer version, Expected expected, Actor by, String note);

    /** Every model, by name. */
    List<ModelSummary> models();

    Optional<ModelSummary> model(String name);

    /** Versions of a model, newest first (at most {@code limit}). */
    List<ModelVersion> versions(String model, int limit);

    Optional<ModelVersion> version(String model, int version);

    /** Where each alias of a model points, by alias. */
    Map<String, Integer> aliases(String model);

    /** The alias history of a model, newest first (at most {@code limit}). */
    List<AliasMove> history(String model, int limit);

    /** Moves of any model after {@code afterId}, oldest first: what the model trigger follows. */
    List<AliasMove> movesAfter(long afterId, int limit);

    /** The version a reference points at now. */
    Optional<ModelVersion> resolve(ModelRef ref);

    /** Versions registered by a run (any task), oldest first. */
    List<ModelVersion> registeredBy(String runId);

    /** Versions whose content is, or holds, this artifact. */
    List<ModelVersion> holding(String sha256);
}
