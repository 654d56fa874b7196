package dev.sluice.engine.run;

/** What can happen to a task. */
public enum StepEvent {
    /** every need SUCCEEDED (and its condition held) */
    READY,
    /** its condition was false, or a need did not succeed */
    SKIP,
    /** handed to a worker */
    DISPATCH,
    /** its attempt succeeded */
    SUCCEED,
    /** an earlier successful attempt with the same cache key was reused */
    CACHE_HIT,
    /** its last attempt failed, or it could not be started (e.g. an expression error) */
    FAIL,
    /** its attempt failed and a retry is left, or the attempt was lost (worker lost, restart) */
    RETRY,
    /** the run was cancelled or interrupted */
    CANCEL,
    /** the run is retried: the task runs again */
    RESET
}
